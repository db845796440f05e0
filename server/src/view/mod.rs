//! One environment's in-memory view: the core's directory, outbound index and logs, rebuilt
//! from storage at start and kept in step with every committed write.
//!
//! Queries (stats, usage, routing simulation) run on the view, so they cost what the core
//! costs, not what a database scan costs. Storage stays the source of truth: a write changes
//! the view only once its transaction committed, and a write that fails after touching the
//! view marks it stale, so that nothing reads it until it has been rebuilt from storage.

use dialback_core::{
    ActivityLog, ActivityRecord, AgentDirectory, AgentId, AgentRecord, CallList, CallRecord,
    CallbackLog, CallbackRecord, CallbackRouting, MessageRecord, NumberId, NumberResource,
    OutboundCall,
};

use crate::store::{EnvId, Sink, Store, StoreError, Tail, Version};

mod external;
mod records;
pub mod saved;

pub use external::ExternalIds;
pub use records::{Agents, Numbers};

/// See the module docs.
#[derive(Debug, Default)]
pub struct View {
    /// Agents in creation order, by id.
    pub agents: Agents,
    /// Numbers, assigned or not, in the order they were added; by id, number and owner.
    pub numbers: Numbers,
    /// The agents and the numbers they own, indexed for the rules.
    pub directory: AgentDirectory,
    /// Every outbound call, and the routes the directory resolves against them.
    pub routing: CallbackRouting,
    /// Every inbound call that hit a callback agent, for stats.
    pub callbacks: CallbackLog,
    /// Messages and completed calls, for usage.
    pub activity: ActivityLog,
    /// Every call in list order, for the call lists (`app::lists`).
    pub list: CallList,
    /// Set when a write failed after changing the view: it must be rebuilt before use.
    pub stale: bool,
    /// The storage version the view reflects.
    pub version: Version,
    /// The external ids stored (a hit is confirmed against storage).
    external: ExternalIds,
    /// Calls accounted.
    calls: u64,
    /// The largest call and message ids accounted (what a saved view reflects).
    last_ids: (u64, u64),
    /// How many calls the saved view it was loaded from held (0: loaded from the records).
    pub restored_calls: u64,
}

/// Why a directory could not be rebuilt from agents (cannot happen from a consistent store).
pub type DirectoryError = dialback_core::DirectoryError;

impl View {
    /// Builds a view from storage: from the environment's saved view and the calls stored
    /// since, if it has a usable one, otherwise from every record. Either way the store
    /// streams the records in (reading on one thread while this one applies them), and the
    /// answers are the same.
    pub fn load(store: &dyn Store, env: EnvId) -> Result<View, LoadError> {
        let mut builder = Builder::default();
        let mut index = None;
        if let Some(restored) = saved_view(store, env) {
            let view = &mut builder.view;
            view.callbacks = restored.callbacks;
            view.activity = restored.activity;
            view.list = restored.list;
            view.external = restored.external;
            view.calls = restored.calls;
            view.restored_calls = restored.calls;
            view.last_ids = (restored.last_call, restored.last_message);
            index = Some(restored.index);
        }
        let version = store.load_into(env, builder.view.last_ids, &mut builder)?;
        let Builder {
            mut view,
            outbound,
            directory,
        } = builder;
        directory?;
        view.routing = match index {
            Some(index) => {
                let mut routing = CallbackRouting::from_index(&view.directory, index);
                for o in outbound {
                    routing.insert_outbound(o);
                }
                routing
            }
            None => CallbackRouting::new(&view.directory, outbound),
        };
        view.version = version;
        view.compact();
        Ok(view)
    }

    /// The view saved whole, for [`Store::save_view`] (see [`saved`]).
    pub fn saved(&self) -> Result<Vec<u8>, String> {
        saved::encode(&saved::Parts {
            last_call: self.last_ids.0,
            last_message: self.last_ids.1,
            calls: self.calls,
            index: self.routing.index(),
            callbacks: &self.callbacks,
            activity: &self.activity,
            list: &self.list,
            external: &self.external,
        })
    }

    /// Gives back the spare capacity of the view's growing parts (after a load, when nothing
    /// will be added for a while and the capacity doubling left up to half unused).
    fn compact(&mut self) {
        self.external.compact();
        self.routing.shrink_to_fit();
        self.callbacks.shrink_to_fit();
        self.activity.shrink_to_fit();
        self.list.shrink_to_fit();
    }

    /// Applies what other servers committed since the view's version: their agents and
    /// numbers replace the view's, and their calls and messages are accounted as they were
    /// stored (routing decisions are stored with the calls and never made again).
    pub fn apply(&mut self, tail: Tail) -> Result<(), DirectoryError> {
        if tail.version == self.version {
            return Ok(());
        }
        if let Some((agents, numbers)) = tail.directory {
            self.agents = Agents::new(agents);
            self.numbers = Numbers::new(numbers);
            self.refresh_directory()?;
        }
        for call in &tail.calls {
            if let Some(o) = call.outbound_entry() {
                self.routing.insert_outbound(o);
            }
            self.account_call(call);
        }
        for m in &tail.messages {
            self.account_message(m);
        }
        self.version = tail.version;
        Ok(())
    }

    /// Rebuilds the directory, and the routes resolved from it, after agents or numbers
    /// changed.
    pub fn refresh_directory(&mut self) -> Result<(), DirectoryError> {
        self.directory = AgentDirectory::from_records(self.agents.all(), self.numbers.all())?;
        self.routing.set_directory(&self.directory);
        Ok(())
    }

    /// The agent with this id.
    pub fn agent(&self, id: &AgentId) -> Option<&AgentRecord> {
        self.agents.get(id)
    }

    /// The agent an id from a path names, if it is one of this environment's.
    pub fn agent_by_path(&self, id: &str) -> Option<&AgentRecord> {
        AgentId::parse(id).ok().and_then(|id| self.agent(&id))
    }

    /// An agent's numbers, in their order.
    pub fn numbers_of(&self, agent: AgentId) -> Vec<NumberResource> {
        self.numbers.of_agent(agent)
    }

    /// The number with this id (any string: one that is not ours names nothing).
    pub fn number(&self, id: &str) -> Option<&NumberResource> {
        self.numbers.get(NumberId::parse(id)?)
    }

    /// Replaces or adds an agent.
    pub fn put_agent(&mut self, record: AgentRecord) {
        self.agents.put(record);
    }

    /// Replaces or adds numbers.
    pub fn put_numbers(&mut self, numbers: &[NumberResource]) {
        for n in numbers {
            self.numbers.put(*n);
        }
    }

    /// Adds a stored call to stats and usage (an outbound call's index entry is inserted by
    /// whoever routes: an import routes each call against the ones before it).
    pub fn account_call(&mut self, call: &CallRecord) {
        self.calls += 1;
        self.last_ids.0 = self.last_ids.0.max(call.id.0);
        if let Some(ext) = &call.external_id {
            self.external.insert(ext);
        }
        if let Some(record) = call
            .routing
            .as_ref()
            .and_then(|d| CallbackRecord::from_decision(d, call.started_at, call.status))
        {
            self.callbacks.push(record);
        }
        self.activity.push(&ActivityRecord::of_call(call));
        self.list.push(call);
    }

    /// How many calls the view holds.
    pub fn call_count(&self) -> u64 {
        self.calls
    }

    /// Adds a stored message to usage.
    pub fn account_message(&mut self, m: &MessageRecord) {
        self.last_ids.1 = self.last_ids.1.max(m.id);
        self.activity.push(&ActivityRecord::of_message(m));
    }

    /// Whether a call with this external id may be stored (confirm against storage; a `false`
    /// is certain).
    pub fn may_have_external_id(&self, external_id: &str) -> bool {
        self.external.may_contain(external_id)
    }
}

/// The environment's saved view, if it has one this build can use (any problem is logged,
/// and the view is then loaded from the records).
fn saved_view(store: &dyn Store, env: EnvId) -> Option<saved::Restored> {
    let bytes = match store.saved_view(env) {
        Ok(bytes) => bytes?,
        Err(e) => {
            tracing::warn!(environment = env, error = %e, "cannot read the saved view");
            return None;
        }
    };
    match saved::decode(&bytes) {
        Ok(restored) => Some(restored),
        Err(e) => {
            tracing::warn!(environment = env, error = %e, "saved view not used");
            None
        }
    }
}

/// Why a view could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored agents break a directory rule (cannot happen from a consistent store).
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

impl LoadError {
    /// As a storage error (a directory stored broken is a corrupt store).
    pub fn into_store(self, env: EnvId) -> StoreError {
        match self {
            LoadError::Store(e) => e,
            LoadError::Directory(e) => StoreError::Corrupt(format!("environment {env}: {e}")),
        }
    }
}

/// A view under construction from a load.
struct Builder {
    view: View,
    /// The outbound calls, indexed in one go at the end.
    outbound: Vec<OutboundCall>,
    directory: Result<(), DirectoryError>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            view: View::default(),
            outbound: Vec::new(),
            directory: Ok(()),
        }
    }
}

impl Sink for Builder {
    fn directory(&mut self, agents: Vec<AgentRecord>, numbers: Vec<NumberResource>) {
        self.view.agents = Agents::new(agents);
        self.view.numbers = Numbers::new(numbers);
        match AgentDirectory::from_records(self.view.agents.all(), self.view.numbers.all()) {
            Ok(directory) => self.view.directory = directory,
            Err(e) => self.directory = Err(e),
        }
    }

    fn calls(&mut self, calls: Vec<CallRecord>) {
        for call in &calls {
            if let Some(o) = call.outbound_entry() {
                self.outbound.push(o);
            }
            self.view.account_call(call);
        }
    }

    fn messages(&mut self, messages: Vec<MessageRecord>) {
        for m in &messages {
            self.view.account_message(m);
        }
    }
}
