//! Any bytes as an imported profile: an error that changes nothing, or a valid profile.
#![no_main]

use inkling::profile::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(profile) = Profile::from_json(text) {
        let json = profile.to_json();
        assert!(
            Profile::from_json(&json).is_ok(),
            "an accepted profile re-imports"
        );
    }
});
