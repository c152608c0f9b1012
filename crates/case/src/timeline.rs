//! Cases as timelines: the persons a case is about, the actors around them, and the events
//! of the journey, each with a date, a place and who took part. Any attribute may be
//! unknown, and "unknown" is kept apart from "asked and refused".
//!
//! This is the input model (`delimit schema case` prints its JSON Schema); `derive.rs`
//! turns it into the element facts the law needs.

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Identifies the format of timeline case files.
pub const CASE_SCHEMA: &str = "delimit.case/2";

/// An answer to one question: known, not known, or asked and refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Answer<T> {
    Known(T),
    #[default]
    Unknown,
    /// The person was asked and chose not to say.
    Refused,
}

impl<T> Answer<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Answer::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        !matches!(self, Answer::Known(_))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Word {
    Unknown,
    Refused,
}

/// `yes` or `no` written as a word, in any case: people write them for a yes-or-no answer.
/// Only an answer that takes a boolean reads them so; a country code `NO` stays Norway.
struct YesNo(bool);

impl<'de> Deserialize<'de> for YesNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        crate::yaml::yes_no(&word)
            .map(YesNo)
            .ok_or_else(|| serde::de::Error::custom("expected yes or no"))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAnswer<T> {
    Word(Word),
    Value(T),
    YesNo(YesNo),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Answer<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wrong = || {
            serde::de::Error::custom("expected a value of the right kind, `unknown` or `refused`")
        };
        match Option::<RawAnswer<T>>::deserialize(d) {
            Ok(None) | Ok(Some(RawAnswer::Word(Word::Unknown))) => Ok(Answer::Unknown),
            Ok(Some(RawAnswer::Word(Word::Refused))) => Ok(Answer::Refused),
            Ok(Some(RawAnswer::Value(v))) => Ok(Answer::Known(v)),
            // The word read as a boolean, if a boolean is what the answer takes.
            Ok(Some(RawAnswer::YesNo(YesNo(b)))) => {
                T::deserialize(serde::de::value::BoolDeserializer::<D::Error>::new(b))
                    .map(Answer::Known)
                    .map_err(|_| wrong())
            }
            Err(_) => Err(wrong()),
        }
    }
}

impl<T: Serialize> Serialize for Answer<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Known(v) => v.serialize(s),
            Answer::Unknown => s.serialize_str("unknown"),
            Answer::Refused => s.serialize_str("refused"),
        }
    }
}

impl<T: JsonSchema> JsonSchema for Answer<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Answer_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let inner = generator.subschema_for::<T>();
        json_schema!({
            "anyOf": [inner, { "enum": ["unknown", "refused"] }],
            "description": "A known value, `unknown`, or `refused` (asked and not answered)."
        })
    }
}

/// A date that may be exact, a range, or not known.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(from = "WhenRepr", into = "WhenRepr")]
#[schemars(with = "WhenRepr")]
pub enum When {
    Exact(Date),
    /// Some time between two dates, both included.
    Range {
        from: Date,
        to: Date,
    },
    #[default]
    Unknown,
}

/// How a date is written: `2024-03-01`, `{from: 2024-03-01, to: 2024-04-30}` or `unknown`.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
enum WhenRepr {
    Exact(#[schemars(with = "String")] Date),
    Range {
        #[schemars(with = "String")]
        from: Date,
        #[schemars(with = "String")]
        to: Date,
    },
    Unknown(UnknownWord),
}

#[derive(Clone, Serialize, Deserialize, JsonSchema)]
enum UnknownWord {
    #[serde(rename = "unknown")]
    Unknown,
}

impl From<WhenRepr> for When {
    fn from(r: WhenRepr) -> When {
        match r {
            WhenRepr::Exact(d) => When::Exact(d),
            WhenRepr::Range { from, to } => When::Range { from, to },
            WhenRepr::Unknown(_) => When::Unknown,
        }
    }
}

impl From<When> for WhenRepr {
    fn from(w: When) -> WhenRepr {
        match w {
            When::Exact(d) => WhenRepr::Exact(d),
            When::Range { from, to } => WhenRepr::Range { from, to },
            When::Unknown => WhenRepr::Unknown(UnknownWord::Unknown),
        }
    }
}

impl When {
    /// The earliest day it can be.
    pub fn earliest(&self) -> Option<Date> {
        match self {
            When::Exact(d) => Some(*d),
            When::Range { from, .. } => Some(*from),
            When::Unknown => None,
        }
    }

    /// The latest day it can be.
    pub fn latest(&self) -> Option<Date> {
        match self {
            When::Exact(d) => Some(*d),
            When::Range { to, .. } => Some(*to),
            When::Unknown => None,
        }
    }
}

/// Where an event took place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// ISO 3166-1 alpha-2 code, such as `TJ` or `RU`.
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Gender, in the values of the IOM Human Trafficking Case Data Standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Gender {
    Feminine,
    Masculine,
    TransgenderFeminine,
    TransgenderMasculine,
    NonConforming,
    NonSpecifiedUnknown,
}

/// When a person was born, as precisely as it is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Birth {
    /// The exact date.
    Date(#[schemars(with = "String")] Date),
    /// An approximate year of birth.
    Year(i16),
    /// An age in whole years on a given date (often all a person says).
    Age {
        years: u8,
        #[schemars(with = "String")]
        on: Date,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    /// ISO 3166-1 alpha-2 codes of every citizenship.
    #[serde(default)]
    pub citizenships: Answer<Vec<String>>,
    #[serde(default)]
    pub stateless: Answer<bool>,
    /// ISO 3166-1 alpha-2 codes of the states where the person is a permanent resident.
    #[serde(default)]
    pub permanent_residence: Answer<Vec<String>>,
    #[serde(default)]
    pub birth: Answer<Birth>,
    #[serde(default)]
    pub gender: Answer<Gender>,
    /// Facts of the law's vocabulary stated directly (`delimit facts` lists them), for what
    /// the timeline cannot express.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::json::unique_facts"
    )]
    pub facts: BTreeMap<String, serde_json::Value>,
}

/// The part an actor played: the HTCDS roles in the process, plus employer and forger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Role {
    TravellingPartner,
    Transporter,
    RecruiterOrIntermediary,
    BrokerTravelAgent,
    TransferredIndividual,
    HarbouredIndividual,
    SoldIndividual,
    BoughtIndividual,
    ReceivedIndividual,
    ControlledIndividual,
    Smuggler,
    Abuser,
    Kidnapper,
    Exploiter,
    Employer,
    DocumentForger,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Natural,
    Legal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub person: String,
    /// How the actor is related to the person (relative, acquaintance, employer, stranger…).
    pub relation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    #[serde(default = "natural")]
    pub kind: ActorKind,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub relations: Vec<Relation>,
}

fn natural() -> ActorKind {
    ActorKind::Natural
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Recruitment,
    Transportation,
    Transfer,
    Harbouring,
    Receipt,
    BorderCrossing,
    Entry,
    Stay,
    Work,
    Exploitation,
    Control,
    Payment,
    Debt,
    Exit,
    EscapeOrRescue,
    Identification,
}

/// Which document a person used to cross a border.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Documents {
    OwnValid,
    /// Falsely made or altered.
    Falsified,
    /// Improperly issued or obtained.
    ImproperlyObtained,
    /// Fraudulent, without saying how.
    Fraudulent,
    SomeoneElses,
    None,
}

/// What a payment was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentPurpose {
    /// For arranging the journey or the crossing.
    Journey,
    /// For a document.
    Document,
    /// Wages for work.
    Wages,
    /// To a person having control over the victim, for their consent.
    ToPersonInControl,
    /// Repaying a debt.
    Debt,
    Other,
}

/// Means used to bring a person in or keep them (the Trafficking Protocol's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    Threat,
    Force,
    OtherCoercion,
    Abduction,
    Fraud,
    Deception,
    AbuseOfPower,
    AbuseOfVulnerability,
    PaymentToPersonInControl,
}

/// Means of control, in the values of the HTCDS field for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Control {
    PhysicalThreats,
    ThreatsLawEnforcement,
    ThreatensChildrenFamily,
    DebtBondage,
    FalsePromises,
    PhysicalAbuse,
    SexualAbuse,
    TakesEarnings,
    RestrictsFinancialAccess,
    RestrictsMedicalCare,
    WithholdsNecessities,
    PsychologicalAbuse,
    PsychoactiveSubstance,
    ExcessiveWorkingHours,
    WithholdsDocuments,
    Other,
}

/// Types of exploitation, in the values of the HTCDS field for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Exploitation {
    ForcedLabour,
    SexualExploitation,
    ChildLabour,
    ForcedMarriage,
    Servitude,
    ForcedMilitaryByNonStateActors,
    OrganRemoval,
    ForcedBegging,
    ForcedAdoption,
    Surrogacy,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    #[serde(default)]
    pub date: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// Ids of the persons the event concerns.
    #[serde(default)]
    pub persons: Vec<String>,
    /// Ids of the actors who took part.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Recruitment, control: the means used.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub means: Answer<Vec<Means>>,
    /// Recruitment, transportation: the purpose the actors pursued, when known.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub purpose: Answer<Vec<Exploitation>>,
    /// Border crossing: the state left (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Border crossing: the state entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Border crossing: at an official crossing point.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub at_checkpoint: Answer<bool>,
    /// Border crossing: the document used.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub documents: Answer<Documents>,
    /// Border crossing, entry, stay, work, exit: whether it met the legal requirements.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub lawful: Answer<bool>,
    /// Stay: the basis (visa, residence permit, registration…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Work: the sector, as an ISIC Rev.4 section letter (A–U).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Exploitation: its types.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub exploitation: Answer<Vec<Exploitation>>,
    /// Control: the means of control.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub control: Answer<Vec<Control>>,
    /// Payment: who paid and who was paid (person or actor ids), and for what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_purpose: Option<PaymentPurpose>,
    /// Payment, debt: the amount in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_usd: Option<f64>,
    /// Recruitment, transportation: whether the person agreed.
    #[serde(default, skip_serializing_if = "Answer::is_unknown")]
    pub consent: Answer<bool>,
    /// Facts of the law's vocabulary stated directly for this event and what follows it.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::json::unique_facts"
    )]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// Free text, kept apart from the facts the law reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Event {
    /// An event of `kind` concerning `person`, with nothing else said about it.
    pub fn new(id: String, kind: EventKind, date: When, person: &str) -> Event {
        Event {
            id,
            kind,
            date,
            place: None,
            persons: vec![person.to_string()],
            actors: Vec::new(),
            means: Answer::Unknown,
            purpose: Answer::Unknown,
            from: None,
            to: None,
            at_checkpoint: Answer::Unknown,
            documents: Answer::Unknown,
            lawful: Answer::Unknown,
            basis: None,
            sector: None,
            exploitation: Answer::Unknown,
            control: Answer::Unknown,
            payer: None,
            payee: None,
            payment_purpose: None,
            amount_usd: None,
            consent: Answer::Unknown,
            facts: BTreeMap::new(),
            note: None,
        }
    }
}

/// A case told as a journey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineCase {
    /// Always `delimit.case/2`.
    pub schema: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Apply the law in force on this date to every element; by default each element is
    /// judged under the law in force on the date of the events that establish it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub as_of: Option<Date>,
    #[serde(default)]
    pub doctrines: Vec<String>,
    pub persons: Vec<Person>,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The id of the person of a case told in an interview.
pub const INTERVIEWED: &str = "interviewed";

/// A case told in one interview: one person, who stated `facts` in the law's vocabulary,
/// and the interview itself as the event where the person was identified, on `told_on`.
/// The timeline says no more than the answers did: no journey is invented, and every fact
/// left open is stated as unknown, so that the absence of events implies nothing.
pub fn told_in_interview(
    kb: &delimit_law::KnowledgeBase,
    facts: &delimit_engine::Facts,
    told_on: Date,
    title: &str,
) -> TimelineCase {
    let stated: BTreeMap<String, serde_json::Value> = kb
        .facts
        .iter()
        .enumerate()
        .map(|(f, fact)| {
            let value = facts
                .get(f)
                .and_then(|v| crate::derive::fact_json(&fact.ty, v))
                .unwrap_or_else(|| serde_json::Value::String("unknown".into()));
            (fact.name.clone(), value)
        })
        .collect();
    TimelineCase {
        schema: CASE_SCHEMA.to_string(),
        id: None,
        title: Some(title.to_string()),
        as_of: None,
        doctrines: Vec::new(),
        persons: vec![Person {
            id: INTERVIEWED.into(),
            citizenships: Answer::Unknown,
            stateless: Answer::Unknown,
            permanent_residence: Answer::Unknown,
            birth: Answer::Unknown,
            gender: Answer::Unknown,
            facts: stated,
        }],
        actors: Vec::new(),
        events: vec![Event::new(
            "interview".into(),
            EventKind::Identification,
            When::Exact(told_on),
            INTERVIEWED,
        )],
        note: None,
    }
}
