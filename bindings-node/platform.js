// The native addon's file name for a platform; shared by index.js and scripts/build.mjs.
'use strict';

/** e.g. `channelwise.linux-x64-gnu.node`, `channelwise.darwin-arm64.node`. */
function nativeFileName(platform = process.platform, arch = process.arch) {
  let abi = '';
  if (platform === 'linux') {
    const header = process.report?.getReport?.().header;
    abi = header && !header.glibcVersionRuntime ? '-musl' : '-gnu';
  } else if (platform === 'win32') {
    abi = '-msvc';
  }
  return `channelwise.${platform}-${arch}${abi}.node`;
}

module.exports = { nativeFileName };
