//! Fitted models to and from JS values through serde, with no JSON text in Rust: a model's
//! `toJSON()` is the object tree its serde form gives, and `fromJSON()` reads such a tree back.
//! `JSON.stringify` of it is the document the Python binding's `to_json()` writes (serde's data
//! model, externally tagged enums, `null` for NaN), and `JSON.parse` of a Python document is
//! what `fromJSON` reads. Numbers cross as JS numbers (f64), so there is no decimal formatting
//! or parsing to round: a model reads back bit-identical. (It also keeps serde_json out of the
//! browser build.) The access methods are not inlined: serde's derived visitors call them once
//! per field, and inlining them there multiplied the deserialiser by the number of fields.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

use channelwise::{Error, Result};

use crate::host::{Host, Kind};
use crate::out::Out;
use crate::read::MAX_SAFE_INTEGER;

/// Why a value did not (de)serialise.
#[derive(Debug)]
pub struct Problem(String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Problem {}

impl ser::Error for Problem {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Problem(msg.to_string())
    }
}

impl de::Error for Problem {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Problem(msg.to_string())
    }
}

/// `value` as the JS object tree of its serde form.
///
/// # Errors
/// `internal` if the value cannot be represented (an integer beyond 2^53).
pub fn to_out<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    value
        .serialize(Ser)
        .map_err(|e| Error::Internal(format!("serialising: {e}")))
}

/// A `T` from the JS object tree `v` (as `to_out` or `JSON.parse` make it).
///
/// # Errors
/// `invalid_parameter` naming `json` when `v` is not a valid document for `T`.
pub fn from_js<H: Host, T: DeserializeOwned>(h: H, v: &H::V) -> Result<T> {
    T::deserialize(De { h, v: v.clone() }).map_err(|e| Error::InvalidParameter {
        field: "json".into(),
        value: "the document".into(),
        reason: e.0,
    })
}

// ---------------------------------------------------------------------------------------------
// Serialising into `Out`.

struct Ser;

fn int(x: i128) -> std::result::Result<Out, Problem> {
    if (x as f64).abs() > MAX_SAFE_INTEGER {
        return Err(Problem(format!(
            "the integer {x} is beyond what a JS number holds exactly (2^53)"
        )));
    }
    Ok(Out::Number(x as f64))
}

/// A sequence, tuple or map being built.
struct Seq(Vec<Out>);

/// An object (struct or map) being built; `variant` wraps it as `{ variant: object }`.
struct Obj {
    fields: Vec<(Cow<'static, str>, Option<Out>)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

/// A tuple variant being built: `{ variant: [..] }`.
struct TupleVariant(&'static str, Vec<Out>);

fn tagged(variant: &'static str, inner: Out) -> Out {
    Out::Object(vec![(Cow::Borrowed(variant), Some(inner))])
}

impl ser::Serializer for Ser {
    type Ok = Out;
    type Error = Problem;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = TupleVariant;
    type SerializeMap = Obj;
    type SerializeStruct = Obj;
    type SerializeStructVariant = Obj;

    fn serialize_bool(self, v: bool) -> std::result::Result<Out, Problem> {
        Ok(Out::Boolean(v))
    }
    fn serialize_i8(self, v: i8) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_i16(self, v: i16) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_i32(self, v: i32) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_i64(self, v: i64) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_u8(self, v: u8) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_u16(self, v: u16) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_u32(self, v: u32) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_u64(self, v: u64) -> std::result::Result<Out, Problem> {
        int(v.into())
    }
    fn serialize_f32(self, v: f32) -> std::result::Result<Out, Problem> {
        Ok(Out::Number(v.into()))
    }
    fn serialize_f64(self, v: f64) -> std::result::Result<Out, Problem> {
        // serde_json writes a non-finite number as null; so does JSON.stringify.
        Ok(Out::Number(v))
    }
    fn serialize_char(self, v: char) -> std::result::Result<Out, Problem> {
        Ok(Out::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> std::result::Result<Out, Problem> {
        Ok(Out::String(v.into()))
    }
    fn serialize_bytes(self, v: &[u8]) -> std::result::Result<Out, Problem> {
        Ok(Out::Array(
            v.iter().map(|&b| Out::Number(b.into())).collect(),
        ))
    }
    fn serialize_none(self) -> std::result::Result<Out, Problem> {
        Ok(Out::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> std::result::Result<Out, Problem> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> std::result::Result<Out, Problem> {
        Ok(Out::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> std::result::Result<Out, Problem> {
        Ok(Out::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> std::result::Result<Out, Problem> {
        Ok(Out::String(variant.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> std::result::Result<Out, Problem> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        v: &T,
    ) -> std::result::Result<Out, Problem> {
        Ok(tagged(variant, v.serialize(Ser)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<Seq, Problem> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<Seq, Problem> {
        Ok(Seq(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> std::result::Result<Seq, Problem> {
        Ok(Seq(Vec::with_capacity(len)))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<TupleVariant, Problem> {
        Ok(TupleVariant(variant, Vec::with_capacity(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> std::result::Result<Obj, Problem> {
        Ok(Obj {
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> std::result::Result<Obj, Problem> {
        Ok(Obj {
            fields: Vec::with_capacity(len),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Obj, Problem> {
        Ok(Obj {
            fields: Vec::with_capacity(len),
            key: None,
            variant: Some(variant),
        })
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = Out;
    type Error = Problem;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        self.0.push(v.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        Ok(Out::Array(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Out;
    type Error = Problem;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Out;
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for TupleVariant {
    type Ok = Out;
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        self.1.push(v.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        Ok(tagged(self.0, Out::Array(self.1)))
    }
}

impl Obj {
    fn finish(self) -> Out {
        let obj = Out::Object(self.fields);
        match self.variant {
            Some(v) => tagged(v, obj),
            None => obj,
        }
    }
}

impl ser::SerializeMap for Obj {
    type Ok = Out;
    type Error = Problem;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> std::result::Result<(), Problem> {
        self.key = Some(match k.serialize(Ser)? {
            Out::String(s) => s,
            Out::Number(x) => x.to_string(),
            _ => return Err(Problem("a map key must be a string or a number".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Problem("a map value came without its key".into()))?;
        self.fields.push((Cow::Owned(key), Some(v.serialize(Ser)?)));
        Ok(())
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Obj {
    type Ok = Out;
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        self.fields
            .push((Cow::Borrowed(key), Some(v.serialize(Ser)?)));
        Ok(())
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for Obj {
    type Ok = Out;
    type Error = Problem;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> std::result::Result<(), Problem> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> std::result::Result<Out, Problem> {
        Ok(self.finish())
    }
}

// ---------------------------------------------------------------------------------------------
// Deserialising from a JS value.

struct De<H: Host> {
    h: H,
    v: H::V,
}

fn fail(what: &str, e: String) -> Problem {
    Problem(format!("{what}: {e}"))
}

impl<H: Host> De<H> {
    fn is_array(&self) -> std::result::Result<bool, Problem> {
        self.h
            .is_array(&self.v)
            .map_err(|e| fail("inspecting a value", e))
    }
    fn number(&self) -> std::result::Result<f64, Problem> {
        match self.h.kind(&self.v) {
            Kind::Number => Ok(self.h.number(&self.v)),
            k => Err(Problem(format!("expected a number, got {k:?}"))),
        }
    }
}

struct SeqDe<H: Host> {
    h: H,
    arr: H::V,
    i: u32,
    n: u32,
}

impl<'de, H: Host> de::SeqAccess<'de> for SeqDe<H> {
    type Error = Problem;
    #[inline(never)]
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> std::result::Result<Option<T::Value>, Problem> {
        if self.i == self.n {
            return Ok(None);
        }
        let v = self
            .h
            .element(&self.arr, self.i)
            .map_err(|e| fail("reading an element", e))?;
        self.i += 1;
        seed.deserialize(De { h: self.h, v }).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some((self.n - self.i) as usize)
    }
}

struct MapDe<H: Host> {
    h: H,
    obj: H::V,
    keys: std::vec::IntoIter<String>,
    value: Option<H::V>,
}

impl<'de, H: Host> de::MapAccess<'de> for MapDe<H> {
    type Error = Problem;
    #[inline(never)]
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, Problem> {
        let Some(key) = self.keys.next() else {
            return Ok(None);
        };
        self.value = Some(
            self.h
                .get(&self.obj, &key)
                .map_err(|e| fail("reading a property", e))?,
        );
        seed.deserialize(key.into_deserializer()).map(Some)
    }
    #[inline(never)]
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, Problem> {
        let v = self
            .value
            .take()
            .ok_or_else(|| Problem("a value was read before its key".into()))?;
        seed.deserialize(De { h: self.h, v })
    }
}

struct EnumDe<H: Host> {
    h: H,
    variant: String,
    value: Option<H::V>,
}

impl<'de, H: Host> de::EnumAccess<'de> for EnumDe<H> {
    type Error = Problem;
    type Variant = Self;
    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> std::result::Result<(V::Value, Self), Problem> {
        let v = seed.deserialize(self.variant.clone().into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de, H: Host> de::VariantAccess<'de> for EnumDe<H> {
    type Error = Problem;
    fn unit_variant(self) -> std::result::Result<(), Problem> {
        Ok(())
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> std::result::Result<T::Value, Problem> {
        let v = self
            .value
            .ok_or_else(|| Problem(format!("variant {} needs a value", self.variant)))?;
        seed.deserialize(De { h: self.h, v })
    }
    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        let v = self
            .value
            .ok_or_else(|| Problem(format!("variant {} needs a value", self.variant)))?;
        de::Deserializer::deserialize_seq(De { h: self.h, v }, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        let v = self
            .value
            .ok_or_else(|| Problem(format!("variant {} needs a value", self.variant)))?;
        de::Deserializer::deserialize_map(De { h: self.h, v }, visitor)
    }
}

impl<'de, H: Host> de::Deserializer<'de> for De<H> {
    type Error = Problem;

    #[inline(never)]
    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        match self.h.kind(&self.v) {
            Kind::Undefined | Kind::Null => visitor.visit_unit(),
            Kind::Boolean => visitor.visit_bool(self.h.boolean(&self.v)),
            Kind::Number => {
                let x = self.h.number(&self.v);
                if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER {
                    if x >= 0.0 {
                        visitor.visit_u64(x as u64)
                    } else {
                        visitor.visit_i64(x as i64)
                    }
                } else {
                    visitor.visit_f64(x)
                }
            }
            Kind::String => visitor.visit_string(
                self.h
                    .string(&self.v)
                    .map_err(|e| fail("reading a string", e))?,
            ),
            Kind::Object if self.is_array()? => self.deserialize_seq(visitor),
            Kind::Object => self.deserialize_map(visitor),
            k => Err(Problem(format!("a {k:?} has no place in a document"))),
        }
    }

    #[inline(never)]
    fn deserialize_f64<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        visitor.visit_f64(self.number()?)
    }

    fn deserialize_f32<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        visitor.visit_f64(self.number()?)
    }

    #[inline(never)]
    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        match self.h.kind(&self.v) {
            Kind::Undefined | Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        visitor.visit_newtype_struct(self)
    }

    #[inline(never)]
    fn deserialize_seq<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        if !self.is_array()? {
            return Err(Problem("expected an array".into()));
        }
        let n = self
            .h
            .length(&self.v)
            .map_err(|e| fail("reading an array's length", e))?;
        visitor.visit_seq(SeqDe {
            h: self.h,
            arr: self.v,
            i: 0,
            n,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        self.deserialize_seq(visitor)
    }

    #[inline(never)]
    fn deserialize_map<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        if self.h.kind(&self.v) != Kind::Object || self.is_array()? {
            return Err(Problem("expected an object".into()));
        }
        let keys = self
            .h
            .keys(&self.v)
            .map_err(|e| fail("listing an object's keys", e))?;
        visitor.visit_map(MapDe {
            h: self.h,
            obj: self.v,
            keys: keys.into_iter(),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        self.deserialize_map(visitor)
    }

    #[inline(never)]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Problem> {
        match self.h.kind(&self.v) {
            Kind::String => {
                let variant = self
                    .h
                    .string(&self.v)
                    .map_err(|e| fail("reading a string", e))?;
                visitor.visit_enum(EnumDe {
                    h: self.h,
                    variant,
                    value: None,
                })
            }
            Kind::Object if !self.is_array()? => {
                let keys = self
                    .h
                    .keys(&self.v)
                    .map_err(|e| fail("listing an object's keys", e))?;
                let [variant] = <[String; 1]>::try_from(keys).map_err(|_| {
                    Problem("expected an enum variant: an object with one key".into())
                })?;
                let value = self
                    .h
                    .get(&self.v, &variant)
                    .map_err(|e| fail("reading a property", e))?;
                visitor.visit_enum(EnumDe {
                    h: self.h,
                    variant,
                    value: Some(value),
                })
            }
            _ => Err(Problem(
                "expected an enum variant: a string or an object with one key".into(),
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string
        bytes byte_buf unit unit_struct identifier ignored_any
    }
}
