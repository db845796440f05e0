//! Callback stats and usage over many calls: read once from the bytes a user holds, queried
//! as often as needed.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use dialback_core::wire::FieldError;
use dialback_core::wire::agentphone::UsageByAgentResponse;
use dialback_core::wire::feed::{CallFeed, NdjsonReader};
use dialback_core::wire::talkover::CallbackStatsData;
use dialback_core::{AgentDirectory, DateRange, Period, Timestamp, Zone, usage_period};

use crate::boundary::{Failure, in_chunks, string, to_js, with_bytes};
use crate::checks::directory;
use crate::columns::{CallColumns, Use};
use crate::types::{
    self, AgentList, Bytes, CallList, DateRangeInput, DayUsageList, PeriodName, Rfc3339, ZoneName,
};

/// Calls (as the API returns them) reduced to what stats and usage need, about 35 bytes a
/// call. Build it with `fromNdjson` or `fromJson` straight from the response bytes (the bytes
/// are read inside wasm, no JavaScript object per call), or with `fromCalls` from objects
/// already parsed (read in one pass into columns). Call `free()` when done, or declare it with
/// `using`.
#[wasm_bindgen]
pub struct CallLog {
    feed: CallFeed,
    directory: AgentDirectory,
}

#[wasm_bindgen]
impl CallLog {
    /// From NDJSON bytes (`GET /api/v1/calls/export`), one call per line. `agents` (optional,
    /// `GET /api/v1/agents`) names the agents in results. Throws `INVALID_JSON`,
    /// `INVALID_CALL` or `ROUTING_MISSING` with the line in the message.
    #[wasm_bindgen(js_name = fromNdjson)]
    pub fn from_ndjson(
        input: Ts<Bytes>,
        agents: Option<Ts<AgentList>>,
    ) -> Result<CallLog, JsValue> {
        let directory = directory(agents.map_or(JsValue::UNDEFINED, |a| a.js_value()))?;
        let mut reader = NdjsonReader::new();
        in_chunks(&input.js_value(), |piece| reader.push(piece))?
            .and_then(|()| reader.finish())
            .map(|feed| CallLog { feed, directory })
            .map_err(|e| Failure::core(&e).into())
    }

    /// From JSON bytes: an array of calls or a `GET /api/v1/calls` response (`data` is read).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(input: Ts<Bytes>, agents: Option<Ts<AgentList>>) -> Result<CallLog, JsValue> {
        let directory = directory(agents.map_or(JsValue::UNDEFINED, |a| a.js_value()))?;
        let feed =
            with_bytes(&input.js_value(), CallFeed::from_json)?.map_err(|e| Failure::core(&e))?;
        Ok(CallLog { feed, directory })
    }

    /// From call objects already in JavaScript (what `await res.json()` gives): read in one
    /// pass into typed columns (`calls.js`), which cross into wasm together, and counted as
    /// NDJSON lines are. No JSON text is made. Throws `INVALID_CALL` naming `calls[i]` and
    /// the field, or `ROUTING_MISSING`.
    #[wasm_bindgen(js_name = fromCalls)]
    pub fn from_calls(
        calls: Ts<CallList>,
        agents: Option<Ts<AgentList>>,
    ) -> Result<CallLog, JsValue> {
        let directory = directory(agents.map_or(JsValue::UNDEFINED, |a| a.js_value()))?;
        let read = CallColumns::read(&calls.js_value(), Use::Counting)?;
        let feed =
            CallFeed::from_columns(&read.columns(), read.count).map_err(|e| Failure::core(&e))?;
        Ok(CallLog { feed, directory })
    }

    /// How many calls were read.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> f64 {
        self.feed.calls as f64
    }

    /// Callback stats for local dates in a zone (`{ startDate, endDate, tz }`, all optional:
    /// this month so far in UTC), the `data` of `GET /api/v1/callback-agents/stats`. `now`
    /// decides the defaults. Throws `INVALID_DATE`, `INVALID_DATE_RANGE`, `INVALID_TIMEZONE`
    /// or `INVALID_TIMESTAMP`.
    #[wasm_bindgen(js_name = callbackStats)]
    pub fn callback_stats(
        &self,
        range: Option<Ts<DateRangeInput>>,
        now: Ts<Rfc3339>,
    ) -> Result<Ts<types::CallbackStatsData>, JsValue> {
        let range = date_range(range, &now)?;
        Ok(Ts::new_unchecked(to_js(&CallbackStatsData::new(
            &self.feed.callbacks.stats(&range),
            &self.directory,
        ))?))
    }

    /// Messages, completed calls and call seconds per agent for the calendar `period`
    /// containing `now` in `tz`, with an Unassigned row: the body of `GET /v1/usage/by-agent`.
    #[wasm_bindgen(js_name = usageByAgent)]
    pub fn usage_by_agent(
        &self,
        period: Ts<PeriodName>,
        tz: Ts<ZoneName>,
        now: Ts<Rfc3339>,
    ) -> Result<Ts<types::UsageByAgentResponse>, JsValue> {
        let period = string(&period.js_value(), "period", "INVALID_PERIOD")?;
        let tz = string(&tz.js_value(), "tz", "INVALID_TIMEZONE")?;
        let period = Period::parse(&period).map_err(|e| Failure::core(&e))?;
        let zone = Zone::parse(&tz).map_err(|e| Failure::core(&e))?;
        let bounds = usage_period(period, zone, instant(&now)?);
        Ok(Ts::new_unchecked(to_js(&UsageByAgentResponse::from(
            &self.feed.activity.by_agent(&bounds, &self.directory),
        ))?))
    }

    /// Usage on every local day of a date range (zeros included).
    #[wasm_bindgen(js_name = dailyUsage)]
    pub fn daily_usage(
        &self,
        range: Option<Ts<DateRangeInput>>,
        now: Ts<Rfc3339>,
    ) -> Result<Ts<DayUsageList>, JsValue> {
        let range = date_range(range, &now)?;
        let days = self
            .feed
            .activity
            .daily(&range)
            .map_err(|e| Failure::core(&e))?;
        Ok(Ts::new_unchecked(to_js(&days)?))
    }
}

fn instant(now: &Ts<Rfc3339>) -> Result<Timestamp, Failure> {
    let now = string(&now.js_value(), "now", "INVALID_TIMESTAMP")?;
    Timestamp::parse(&now).map_err(|e| Failure::core(&e))
}

fn date_range(range: Option<Ts<DateRangeInput>>, now: &Ts<Rfc3339>) -> Result<DateRange, Failure> {
    let now = instant(now)?;
    let input: DateRangeInput = match range {
        Some(r) if !(r.js_value().is_undefined() || r.js_value().is_null()) => {
            crate::boundary::from_js(r.js_value(), "range", "INVALID_DATE_RANGE")?
        }
        _ => DateRangeInput::default(),
    };
    DateRange::parse(
        input.start_date.as_deref(),
        input.end_date.as_deref(),
        input.tz.as_deref(),
        now,
    )
    .map_err(|errors| Failure::many(errors.iter().map(FieldError::from).collect()))
}
