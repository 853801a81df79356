//! TLS for the PostgreSQL store, over rustls (pure Rust, the `ring` provider): the url's
//! `sslmode` and `sslrootcert` parameters with libpq's meanings, which the driver alone does not
//! have (it knows `disable`, `prefer` and `require`, and no root certificate file).
//!
//! | `sslmode` | encrypted | server certificate checked |
//! |---|---|---|
//! | `disable` | never | - |
//! | `allow`, `prefer` (the default) | when the server offers TLS | no (as libpq) |
//! | `require` | always | no; against `sslrootcert` when one is given (as libpq) |
//! | `verify-ca` | always | chain to a root of `sslrootcert` |
//! | `verify-full` | always | chain, and the host name (or IP address) in the certificate |
//!
//! `sslrootcert` is a PEM file of trusted roots (a provider's bundle, e.g. Amazon RDS's), or
//! `system`: the operating system's trusted roots (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set),
//! which, as in libpq 16, makes `verify-full` the default and refuses a weaker mode (a public CA
//! vouches for names, so the name must be checked). Without it `verify-ca` / `verify-full` read
//! `~/.postgresql/root.crt`, as libpq does, and are refused naming `sslrootcert` when there is
//! none.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, Result};

/// How a connection is secured (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// The mode named `v`; `None` for a name libpq does not have.
    pub(super) fn parse(v: &str) -> Option<Self> {
        Some(match v {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// The driver's own mode for this one.
    pub(super) fn driver(self) -> postgres::config::SslMode {
        match self {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => postgres::config::SslMode::Require,
        }
    }
}

/// The client configuration for `mode` (`None` for `disable`); `root`: the `sslrootcert`
/// parameter; `shown`: the url as errors show it.
pub(super) fn client_config(mode: SslMode, root: Option<&str>, shown: &str) -> Result<Option<ClientConfig>> {
    if mode == SslMode::Disable {
        return Ok(None);
    }
    // ring, not aws-lc-rs: it builds with a C compiler alone on every target the wheels and the
    // Node addon ship for; rustls 0.23.48 deprecates its provider only for lacking post-quantum
    // key exchange, which a database connection inside one's own network can do without.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS versions: {e}")))?;
    let root = match (root, mode) {
        (Some(path), _) => Some(PathBuf::from(path)),
        (None, SslMode::VerifyCa | SslMode::VerifyFull) => {
            let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".postgresql").join("root.crt"));
            match home.filter(|p| p.is_file()) {
                Some(p) => Some(p),
                None => {
                    return Err(Error::param(
                        "store",
                        shown,
                        "sslmode verify-ca / verify-full needs the trusted roots: sslrootcert=<PEM file> in the url (or ~/.postgresql/root.crt)",
                    ))
                }
            }
        }
        (None, _) => None,
    };
    let Some(root) = root else {
        // prefer / require without roots: encrypted, the certificate not checked (as libpq)
        return Ok(Some(builder.dangerous().with_custom_certificate_verifier(Arc::new(Unchecked(provider))).with_no_client_auth()));
    };
    let mut roots = RootCertStore::empty();
    let bad = |why: String| Error::param("store", shown, format!("sslrootcert {}: {why}", root.display()));
    if root.as_os_str() == "system" {
        if mode != SslMode::VerifyFull {
            return Err(bad("the system's roots vouch for names: use sslmode=verify-full (the default with them)".into()));
        }
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if roots.is_empty() {
            return Err(bad("no trusted roots found in the system's store (SSL_CERT_FILE / SSL_CERT_DIR can name them)".into()));
        }
    } else {
        for cert in CertificateDer::pem_file_iter(&root).map_err(|e| bad(e.to_string()))? {
            roots.add(cert.map_err(|e| bad(e.to_string()))?).map_err(|e| bad(e.to_string()))?;
        }
        if roots.is_empty() {
            return Err(bad("no certificate in the file".into()));
        }
    }
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider).build().map_err(|e| bad(e.to_string()))?;
    Ok(Some(if mode == SslMode::VerifyFull {
        builder.with_webpki_verifier(webpki).with_no_client_auth()
    } else {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(ChainOnly(webpki))).with_no_client_auth()
    }))
}

/// Checks nothing of the certificate (`prefer`, `require` without roots); the handshake's
/// signatures are still checked, so the connection is encrypted to whoever holds the key.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(&self, _: &CertificateDer<'_>, _: &[CertificateDer<'_>], _: &ServerName<'_>, _: &[u8], _: UnixTime) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The chain to a trusted root, not the name (`verify-ca`).
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(&self, end: &CertificateDer<'_>, inter: &[CertificateDer<'_>], name: &ServerName<'_>, ocsp: &[u8], now: UnixTime) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end, inter, name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. })) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
