//! Phone numbers as resources: the documented list, and adding a number (our extension:
//! Talkover sells numbers in its dashboard). Numbers are assigned with
//! `PUT /api/v1/agents/{id}/calling`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dialback_core::wire::requests::numbers::parse_new_number;
use dialback_core::wire::requests::queries::parse_number_list;
use dialback_core::wire::talkover::{AgentRef, Envelope, PhoneNumberBody};

use super::super::blocking;
use super::super::error::TalkoverError;
use super::super::extract::{JsonBody, Params, TalkoverEnv, TalkoverWrite};
use super::{Reply, read};
use crate::app::App;
use crate::ops::agents;
use crate::view::View;

fn body(view: &View, n: &dialback_core::NumberResource) -> PhoneNumberBody {
    let agent = n.agent.and_then(|a| view.agent(&a)).map(AgentRef::from);
    PhoneNumberBody::new(n, agent)
}

/// `GET /api/v1/phone-numbers?type=&has_voice=&has_whatsapp=&search=`: every number of the
/// environment, in the order they were added, with the agent it is assigned to.
pub async fn list(
    State(app): State<Arc<App>>,
    TalkoverEnv(env): TalkoverEnv,
    Params(q): Params,
) -> Reply<Envelope<Vec<PhoneNumberBody>>> {
    let query = parse_number_list(&q).map_err(TalkoverError::request)?;
    let view = read(&app, &env).await?;
    let data = view
        .numbers
        .all()
        .iter()
        .filter(|n| query.matches(n))
        .map(|n| body(&view, n))
        .collect();
    Ok(Json(Envelope::ok(data)))
}

/// `POST /api/v1/phone-numbers` `{"number": "+1 (415) 555-0100"}`: the number, unassigned.
pub async fn create(
    State(app): State<Arc<App>>,
    TalkoverWrite(env): TalkoverWrite,
    JsonBody(json): JsonBody,
) -> Reply<Envelope<PhoneNumberBody>> {
    let new = parse_new_number(&json).map_err(TalkoverError::request)?;
    let env2 = env.clone();
    let number = blocking(app.budget(), move || {
        agents::create_number(&app, &env2, new)
    })
    .await?;
    Ok(Json(Envelope::ok(PhoneNumberBody::new(&number, None))))
}
