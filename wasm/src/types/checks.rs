//! What the validators answer: field errors, verdicts, and which request to check.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::*;

/// One problem with an input, next to the field it is about.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    pub code: String,
    pub message: String,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub index: Option<usize>,
}

/// `{ ok: true, config }` or `{ ok: false, errors }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum ConfigCheck {
    Valid {
        #[tsify(type = "true")]
        ok: bool,
        config: CallbackConfigBody,
    },
    Invalid {
        #[tsify(type = "false")]
        ok: bool,
        errors: Vec<FieldError>,
    },
}

/// `{ ok: true }` or `{ ok: false, errors }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum RequestCheck {
    Invalid {
        #[tsify(type = "false")]
        ok: bool,
        errors: Vec<FieldError>,
    },
    Valid {
        #[tsify(type = "true")]
        ok: bool,
    },
}

/// Which write request to check.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    NewAgent,
    AgentPatch,
    CallingUpdate,
    KnowledgeUpdate,
    NewNumber,
    NewCall,
    NewMessage,
    Simulation,
}
