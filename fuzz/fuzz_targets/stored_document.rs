//! Any bytes as the stored document: a document, "newer version", or corrupt — never a panic.
//! A document that decodes re-encodes to one that decodes again, with the same revision.
#![no_main]

use inkling::store::document::Document;
use inkling::store::slot::Decoded;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Decoded::Ok(doc, rev) = Document::decode(text) {
        let again = doc.encode();
        match Document::decode(&again) {
            Decoded::Ok(_, rev2) => assert_eq!(rev, rev2),
            _ => panic!("a decoded document must re-encode to a readable one"),
        }
    }
});
