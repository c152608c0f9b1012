//! How much of the law was read in an official text: the provisions of each instrument counted
//! by status, each instrument's status as the weakest of its own and its provisions', and the
//! rules grouped by the best text they rest on. `delimit law status` prints it; the law
//! browser's front page shows it.

use crate::kb::{Instrument, KnowledgeBase, ProvisionId, Rule, Status};

/// Provisions counted by status, in the order of [`Status::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts(pub [usize; 5]);

impl Counts {
    pub fn add(&mut self, s: Status) {
        self.0[s as usize] += 1;
    }

    pub fn get(&self, s: Status) -> usize {
        self.0[s as usize]
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }

    /// The share read in an official text, in whole per cent (0 when there is nothing).
    pub fn verified_percent(&self) -> usize {
        match self.total() {
            0 => 0,
            n => (self.get(Status::Verified) * 100 + n / 2) / n,
        }
    }

    /// "3 verified, 2 secondary": the statuses present, strongest first.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = Status::ALL
            .into_iter()
            .filter(|&s| self.get(s) > 0)
            .map(|s| format!("{} {}", self.get(s), s.name()))
            .collect();
        if parts.is_empty() {
            "no provisions".into()
        } else {
            parts.join(", ")
        }
    }
}

#[derive(Debug)]
pub struct InstrumentReport<'k> {
    pub instrument: &'k Instrument,
    pub provisions: Counts,
    /// The weakest of the instrument's own status (title, dates) and its provisions'.
    pub status: Status,
    /// Rules citing at least one of its provisions.
    pub rules: usize,
}

#[derive(Debug)]
pub struct StatusReport<'k> {
    pub instruments: Vec<InstrumentReport<'k>>,
    pub provisions: Counts,
    /// Rules by the strongest status among the provisions they cite, in the order of
    /// [`Status::ALL`]: a rule under `recalled` rests on nothing better than recalled text.
    pub rules_by_basis: [Vec<&'k Rule>; 5],
}

/// The strongest status among the provisions a rule cites: what the rule can rest on.
pub fn basis(kb: &KnowledgeBase, rule: &Rule) -> Status {
    basis_of(kb, &rule.cites)
}

/// [`basis`] for a list of cited provisions (the checker has them before the rule is built).
pub fn basis_of(kb: &KnowledgeBase, cites: &[ProvisionId]) -> Status {
    cites
        .iter()
        .map(|&p| kb.provisions[p].status)
        .min()
        .unwrap_or(Status::Unverified)
}

/// The weakest of an instrument's own status and its provisions' statuses.
pub fn instrument_status(kb: &KnowledgeBase, instrument: &Instrument) -> Status {
    kb.provisions
        .iter()
        .filter(|p| p.instrument == instrument.id)
        .map(|p| p.status)
        .fold(instrument.status, Status::max)
}

pub fn report(kb: &KnowledgeBase) -> StatusReport<'_> {
    let mut provisions = Counts::default();
    let instruments = kb
        .instruments
        .iter()
        .map(|instrument| {
            let mut counts = Counts::default();
            for p in kb
                .provisions
                .iter()
                .filter(|p| p.instrument == instrument.id)
            {
                counts.add(p.status);
                provisions.add(p.status);
            }
            let rules = kb
                .rules
                .iter()
                .filter(|r| {
                    r.cites
                        .iter()
                        .any(|&p| kb.provisions[p].instrument == instrument.id)
                })
                .count();
            InstrumentReport {
                instrument,
                provisions: counts,
                status: instrument_status(kb, instrument),
                rules,
            }
        })
        .collect();
    let mut rules_by_basis: [Vec<&Rule>; 5] = Default::default();
    for r in &kb.rules {
        rules_by_basis[basis(kb, r) as usize].push(r);
    }
    StatusReport {
        instruments,
        provisions,
        rules_by_basis,
    }
}
