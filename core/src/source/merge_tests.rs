use serde_json::json;

use super::*;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn n(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn agent(id: &str, direction: Option<Direction>, numbers: &[&str]) -> PlatformAgent {
    PlatformAgent {
        id: id.into(),
        name: format!("agent {id}"),
        direction,
        status: None,
        label: None,
        description: None,
        language: None,
        numbers: numbers
            .iter()
            .map(|x| PlatformNumber {
                id: Some(format!("num-{x}")),
                number: n(x),
                agent: None,
            })
            .collect(),
    }
}

const SALES: &str = "11111111-1111-4111-8111-111111111111";
const DESK: &str = "22222222-2222-4222-8222-222222222222";

fn talkover() -> Snapshot {
    Snapshot {
        platform: Platform::Talkover,
        agents: vec![
            agent(SALES, Some(Direction::Outbound), &[]),
            agent(
                DESK,
                Some(Direction::Inbound),
                &["+14155550100", "+14155550101"],
            ),
        ],
        numbers: vec![PlatformNumber {
            id: Some("spare".into()),
            number: n("+14155550199"),
            agent: None,
        }],
        callbacks: Some(vec![PlatformCallback {
            agent: DESK.into(),
            config: json!({"source_agent_ids": [SALES]}),
        }]),
    }
}

/// Applies changes to stored records, as storage would.
fn apply(agents: &mut Vec<AgentRecord>, numbers: &mut Vec<NumberResource>, changes: Changes) {
    for a in changes.agents {
        match agents.iter_mut().find(|x| x.id == a.id) {
            Some(slot) => *slot = a,
            None => agents.push(a),
        }
    }
    for x in changes.numbers {
        match numbers.iter_mut().find(|y| y.id == x.id) {
            Some(slot) => *slot = x,
            None => numbers.push(x),
        }
    }
}

#[test]
fn a_first_merge_adds_everything_and_a_second_finds_it_again() {
    let now = at("2026-12-06T10:00:00Z");
    let (mut agents, mut numbers) = (Vec::new(), Vec::new());
    let changes = merge_snapshot(&talkover(), &agents, &numbers, now).unwrap();
    assert_eq!(changes.agents.len(), 2);
    assert_eq!(changes.numbers.len(), 3);
    apply(&mut agents, &mut numbers, changes);
    let desk = agents.iter().find(|a| a.id.to_string() == DESK).unwrap();
    let config = desk.callback_config.as_ref().unwrap();
    assert_eq!(config.source_agent_ids[0].to_string(), SALES);
    assert_eq!(
        desk.profile.origin,
        Some(Origin {
            platform: Platform::Talkover,
            id: DESK.into()
        })
    );
    let spare = numbers
        .iter()
        .find(|x| x.number == n("+14155550199"))
        .unwrap();
    assert_eq!(spare.agent, None);
    let second = numbers
        .iter()
        .find(|x| x.number == n("+14155550101"))
        .unwrap();
    assert_eq!((second.agent, second.position), (Some(desk.id), 1));

    let again = merge_snapshot(&talkover(), &agents, &numbers, at("2026-12-07T10:00:00Z")).unwrap();
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_number_the_platform_no_longer_lists_for_its_agent_is_released() {
    let now = at("2026-12-06T10:00:00Z");
    let (mut agents, mut numbers) = (Vec::new(), Vec::new());
    let changes = merge_snapshot(&talkover(), &agents, &numbers, now).unwrap();
    apply(&mut agents, &mut numbers, changes);
    let mut fewer = talkover();
    if let Some(desk) = fewer.agents.get_mut(1) {
        desk.numbers.truncate(1);
    }
    let changes = merge_snapshot(&fewer, &agents, &numbers, now).unwrap();
    assert_eq!(changes.numbers.len(), 1);
    assert_eq!(changes.numbers[0].number, n("+14155550101"));
    assert_eq!(changes.numbers[0].agent, None);
}

#[test]
fn a_number_owned_by_an_agent_made_here_stops_the_merge() {
    let now = at("2026-12-06T10:00:00Z");
    let local = AgentRecord {
        id: AgentId::parse("33333333-3333-4333-8333-333333333333").unwrap(),
        name: "Local desk".into(),
        direction: Direction::Inbound,
        callback_config: None,
        status: AgentStatus::Published,
        profile: AgentProfile::for_name("Local desk"),
        created_at: now,
        updated_at: now,
    };
    let owned = NumberResource {
        id: crate::phone::NumberId::from_u128(9),
        number: n("+14155550100"),
        agent: Some(local.id),
        position: 0,
        created_at: now,
        updated_at: now,
    };
    let errors = merge_snapshot(&talkover(), &[local], &[owned], now).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code(), "SOURCE_NUMBER_TAKEN");
    assert!(
        errors[0].to_string().contains("Local desk"),
        "{}",
        errors[0]
    );
}

#[test]
fn the_platform_listing_a_number_under_two_agents_stops_the_merge() {
    let mut twice = talkover();
    twice.agents[0].numbers.push(PlatformNumber {
        id: None,
        number: n("+14155550100"),
        agent: None,
    });
    let errors = merge_snapshot(&twice, &[], &[], at("2026-12-06T10:00:00Z")).unwrap_err();
    assert_eq!(errors[0].code(), "SOURCE_NUMBER_LISTED_TWICE");
}

#[test]
fn agentphone_agents_keep_the_role_and_direction_set_here() {
    let now = at("2026-12-06T10:00:00Z");
    let snapshot = Snapshot {
        platform: Platform::Agentphone,
        agents: vec![agent("agt_desk", None, &[])],
        numbers: vec![PlatformNumber {
            id: Some("num_1".into()),
            number: n("+14155550150"),
            agent: Some("agt_desk".into()),
        }],
        callbacks: None,
    };
    let (mut agents, mut numbers) = (Vec::new(), Vec::new());
    let changes = merge_snapshot(&talkover(), &agents, &numbers, now).unwrap();
    apply(&mut agents, &mut numbers, changes);
    let changes = merge_snapshot(&snapshot, &agents, &numbers, now).unwrap();
    apply(&mut agents, &mut numbers, changes);
    let desk_id = identity::local_agent_id(Platform::Agentphone, "agt_desk");
    let desk = agents.iter().find(|a| a.id == desk_id).unwrap();
    assert_eq!(desk.direction, Direction::Inbound);
    assert_eq!(
        numbers
            .iter()
            .find(|x| x.number == n("+14155550150"))
            .unwrap()
            .agent,
        Some(desk_id)
    );

    // an operator makes it a callback agent for Talkover's outbound agent
    let directory = AgentDirectory::from_records(&agents, &numbers).unwrap();
    let config = validate_callback_config(
        &desk_id.to_string(),
        &json!({"source_agent_ids": [SALES]}),
        &directory,
    )
    .unwrap();
    for a in &mut agents {
        if a.id == desk_id {
            a.callback_config = Some(config.clone());
        }
    }
    let changes = merge_snapshot(&snapshot, &agents, &numbers, at("2026-12-07T10:00:00Z")).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    // and Talkover's next sync leaves another platform's agent alone
    let changes =
        merge_snapshot(&talkover(), &agents, &numbers, at("2026-12-07T10:00:00Z")).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(
        agents
            .iter()
            .filter(|a| a.callback_config.is_some())
            .count(),
        2
    );
}
