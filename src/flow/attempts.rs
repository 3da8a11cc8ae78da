//! Sign-in attempts: identity messages grouped by the protocol's own
//! correlation — AuthnRequest `ID` ↔ Response `InResponseTo`, OAuth
//! `state` ↔ callback `state` — falling back to order (an answer belongs to
//! the latest open request) when the correlation values are absent.
//!
//! Each sign-in request the browser sends to an IdP starts an attempt;
//! answers (SAML Response, WS-Fed wresult, OAuth callback or error) and IdP
//! error pages join one. An answer with no request before it starts an
//! attempt of its own (a capture started mid-flow, or IdP-initiated SSO).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::decode::{Found, Message};

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The app accepted a successful answer at `entry`.
    Succeeded { entry: u32 },
    /// The IdP answered with an error, or the app refused the answer.
    Failed { entry: u32 },
    /// The capture does not show the end.
    Incomplete,
}

/// One sign-in attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// 1-based, in capture order.
    pub number: usize,
    pub protocol: &'static str,
    /// Index into `Context::messages` of the sign-in request, if seen.
    #[serde(skip)]
    pub request: Option<usize>,
    /// Indices of the IdP's answers as delivered to the app (sent by the browser).
    #[serde(skip)]
    pub delivered: Vec<usize>,
    /// Indices of everything else that belongs here (issued copies, pages, errors).
    #[serde(skip)]
    pub other: Vec<usize>,
    pub first_entry: u32,
    pub last_entry: u32,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Attempt {
    /// Every message index of the attempt, in order.
    pub fn messages(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .request
            .iter()
            .chain(&self.delivered)
            .chain(&self.other)
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Groups messages into attempts. `accepted(entry)` says whether the app
/// accepted what it received at that entry.
///
/// Linear in the messages: the latest attempt per request key and the set
/// of attempts still open (nothing delivered yet) are kept as it goes.
pub fn group(messages: &[Found], accepted: impl Fn(u32) -> bool) -> Vec<Attempt> {
    let mut attempts: Vec<Attempt> = Vec::new();
    // The latest attempt whose request carries this correlation key.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    // Attempts with nothing delivered yet.
    let mut open: BTreeSet<usize> = BTreeSet::new();
    for (i, m) in messages.iter().enumerate() {
        let msg = &m.message;
        if msg.is_sign_in_request() {
            if m.place.is_sent() {
                let pos = attempts.len();
                attempts.push(new_attempt(pos + 1, msg, Some(i), m.entry));
                if let Some(k) = msg.request_key() {
                    by_key.insert(k, pos);
                }
                open.insert(pos);
            }
            // A request seen in a redirect (the app's 302) is repeated in the
            // next request; the copy sent to the IdP starts the attempt.
            continue;
        }
        let key = msg.answer_key();
        let target = key.and_then(|k| by_key.get(k).copied()).or_else(|| {
            // No correlation value: the latest attempt that is still open.
            if msg.is_idp_answer() {
                open.last().copied()
            } else {
                attempts.len().checked_sub(1)
            }
        });
        let idx = match target {
            Some(t) => t,
            None if msg.is_idp_answer() || msg.is_error() => {
                attempts.push(new_attempt(attempts.len() + 1, msg, None, m.entry));
                open.insert(attempts.len() - 1);
                attempts.len() - 1
            }
            None => continue,
        };
        let Some(a) = attempts.get_mut(idx) else {
            continue;
        };
        if msg.is_idp_answer() && m.place.is_sent() {
            a.delivered.push(i);
            open.remove(&idx);
        } else {
            a.other.push(i);
        }
        a.last_entry = a.last_entry.max(m.entry);
    }
    for a in &mut attempts {
        a.outcome = outcome(a, messages, &accepted);
    }
    attempts
}

fn new_attempt(number: usize, msg: &Message, request: Option<usize>, entry: u32) -> Attempt {
    Attempt {
        number,
        protocol: msg.protocol(),
        request,
        delivered: Vec::new(),
        other: Vec::new(),
        first_entry: entry,
        last_entry: entry,
        outcome: Outcome::Incomplete,
    }
}

fn outcome(a: &Attempt, messages: &[Found], accepted: &impl Fn(u32) -> bool) -> Outcome {
    for &i in a.delivered.iter().rev() {
        let Some(m) = messages.get(i) else { continue };
        if m.message.is_success_answer() {
            return if accepted(m.entry) {
                Outcome::Succeeded { entry: m.entry }
            } else {
                Outcome::Failed { entry: m.entry }
            };
        }
        if m.message.is_error() {
            return Outcome::Failed { entry: m.entry };
        }
    }
    let error = a
        .messages()
        .into_iter()
        .filter_map(|i| messages.get(i))
        .find(|m| m.message.is_error());
    match error {
        Some(m) => Outcome::Failed { entry: m.entry },
        None => Outcome::Incomplete,
    }
}
