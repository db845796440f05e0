//! The phone number object of `GET /api/v1/phone-numbers`.
//!
//! Dialback neither sells nor renews numbers, so the billing fields say so: price and renewal
//! cost `0`, no renewal date, no automatic renewal. Every number takes voice calls and
//! messages (the two things Dialback records); none is a sandbox number.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agents::AgentRef;

/// The only status a number has here.
pub const ACTIVE: &str = "active";

/// One of an environment's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PhoneNumberBody {
    /// Id.
    pub id: String,
    /// E.164.
    pub number: String,
    /// ISO country, e.g. `US` (`ZZ` if unknown).
    #[serde(default)]
    pub country_code: String,
    /// National form.
    #[serde(default)]
    pub formatted_number: String,
    /// International form.
    #[serde(default)]
    pub international_number: String,
    /// `voice`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Takes calls.
    #[serde(default)]
    pub has_voice: bool,
    /// Takes messages.
    #[serde(default)]
    pub has_sms: bool,
    /// MMS.
    #[serde(default)]
    pub has_mms: bool,
    /// Fax.
    #[serde(default)]
    pub has_fax: bool,
    /// WhatsApp.
    #[serde(default)]
    pub has_whatsapp: bool,
    /// `active`.
    #[serde(default)]
    pub current_status: String,
    /// Sandbox number.
    #[serde(default)]
    pub is_sandbox: bool,
    /// Monthly price.
    #[serde(default)]
    pub current_price: f64,
    /// Price currency.
    #[serde(default)]
    pub currency: String,
    /// Next renewal, `YYYY-MM-DD`.
    #[serde(default)]
    pub renewal_date: Option<String>,
    /// Renews by itself.
    #[serde(default)]
    pub auto_renewal: bool,
    /// When it was added.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it was last assigned or released.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Renewal price.
    #[serde(default)]
    pub monthly_renewal_cost: f64,
    /// Days to the renewal.
    #[serde(default)]
    pub days_until_monthly_renewal: Option<i64>,
    /// Renewal due.
    #[serde(default)]
    pub is_due_for_monthly_renewal: bool,
    /// The environment (`null`, as documented).
    #[serde(default)]
    pub environment: Value,
    /// The agents it is assigned to: one, or `null` when unassigned.
    #[serde(default)]
    pub agents: Option<Vec<AgentRef>>,
}

#[cfg(feature = "regions")]
impl PhoneNumberBody {
    /// The object for a number and the agent it is assigned to.
    pub fn new(n: &crate::phone::NumberResource, agent: Option<AgentRef>) -> Self {
        let f = n.number.formats();
        PhoneNumberBody {
            id: n.id.to_string(),
            number: n.number.to_string(),
            country_code: f.country,
            formatted_number: f.national,
            international_number: f.international,
            kind: "voice".to_owned(),
            has_voice: true,
            has_sms: true,
            has_mms: false,
            has_fax: false,
            has_whatsapp: false,
            current_status: ACTIVE.to_owned(),
            is_sandbox: false,
            current_price: 0.0,
            currency: "USD".to_owned(),
            renewal_date: None,
            auto_renewal: false,
            created_at: Some(n.created_at.to_string()),
            updated_at: Some(n.updated_at.to_string()),
            monthly_renewal_cost: 0.0,
            days_until_monthly_renewal: None,
            is_due_for_monthly_renewal: false,
            environment: Value::Null,
            agents: agent.map(|a| vec![a]),
        }
    }
}
