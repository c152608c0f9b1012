//! Exchange with the IOM Human Trafficking Case Data Standard (HTCDS) 2.0 and with the
//! column vocabulary of the Counter Trafficking Data Collaborative (CTDC, 2024 release).
//!
//! What it is for: writing a timeline case as HTCDS rows that a case-management tool can read,
//! reading HTCDS rows (as the standard, its Excel templates and its XLSForm write them) back
//! into timeline cases, and filling the CTDC columns that follow from a timeline. The mapping,
//! field by field, and what cannot be carried are in `docs/htcds-mapping.md`.
//!
//! What it must not know: the law. It reads no knowledge base and draws no legal conclusion,
//! so it never writes `vic_TraffickingStatus` (an organisation's decision, not an inference).
//! Nor does it carry identifying data: names, contact details, identity numbers and free text
//! are neither written nor read (a warning says what was left out).
//!
//! The shape of the exchange:
//! - one CSV row per person of the case, and one per actor (HTCDS is person-centred: an actor
//!   is a person with perpetrator context, `per_RoleInProcess`);
//! - multi-select values joined with `"; "`, as the HTCDS Excel template joins them;
//! - the repeating historic trafficking events (`hte_`) flattened onto the person's row as
//!   parallel `"; "`-joined lists, one position per event;
//! - what delimit needs to rebuild the same timeline and HTCDS has no field for (case, person,
//!   actor and event identifiers, the precise event kind, the end of a date range, which
//!   answers were refused) in columns of its own prefix `dlm_`, never under an HTCDS name.
//!
//! [`htcds_projection`] is what survives the exchange: for every case `c` that
//! [`to_htcds`] accepts, `from_htcds(&to_htcds(&c)?)` gives back `htcds_projection(&c)`.

use crate::limits::{MAX_ACTORS, MAX_EVENTS, MAX_HTCDS_BYTES, MAX_HTCDS_ROW_BYTES};
use crate::timeline::*;
use delimit_law::limits::size;
use isocountry::CountryCode;
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

// ---------------------------------------------------------------------------------------
// Errors

/// One value that could not be read: where (spreadsheet row, column) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The row as a spreadsheet numbers it: the header is row 1, the first record row 2.
    pub row: usize,
    /// The column's name as written in the header.
    pub column: String,
    /// What is wrong, quoting the value.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column `{}`: {}",
            self.row, self.column, self.message
        )
    }
}

/// Why an exchange failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExchangeError {
    /// The text is not CSV (or not UTF-8 CSV); `row` when the reader could tell.
    Csv { row: Option<usize>, message: String },
    /// The header row is unusable: empty, or one field given by two columns.
    Header(String),
    /// Values that could not be read, every one of them.
    Invalid(Vec<FieldError>),
    /// A case that cannot be written without changing what it says.
    Unexportable(String),
    /// The file, or one of its rows, is larger than [`crate::limits`] allow.
    TooLarge(String),
}

impl fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExchangeError::Csv {
                row: Some(r),
                message,
            } => write!(f, "row {r}: not readable as CSV: {message}"),
            ExchangeError::Csv { row: None, message } => {
                write!(f, "not readable as CSV: {message}")
            }
            ExchangeError::Header(m) => write!(f, "header row: {m}"),
            ExchangeError::Invalid(errors) => {
                write!(f, "{} value(s) could not be read:", errors.len())?;
                for e in errors {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
            ExchangeError::Unexportable(m) => write!(f, "cannot be exported: {m}"),
            ExchangeError::TooLarge(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for ExchangeError {}

impl From<csv::Error> for ExchangeError {
    fn from(e: csv::Error) -> Self {
        // The reader counts records from 0 with the header first: record n is row n + 1.
        let row = e.position().map(|p| p.record() as usize + 1);
        ExchangeError::Csv {
            row,
            message: e.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Vocabularies: (model value, HTCDS value name, HTCDS value label), as in the ODS.

const GENDERS: &[(Gender, &str, &str)] = &[
    (Gender::Feminine, "Feminine", "Feminine"),
    (Gender::Masculine, "Masculine", "Masculine"),
    (
        Gender::TransgenderFeminine,
        "TransgenderFeminine",
        "Transgender Feminine",
    ),
    (
        Gender::TransgenderMasculine,
        "TransgenderMasculine",
        "Transgender Masculine",
    ),
    (Gender::NonConforming, "NonConforming", "Non-Conforming"),
    (
        Gender::NonSpecifiedUnknown,
        "NonSpecifiedUnknown",
        "Not Specified/Unknown",
    ),
];

const CONTROLS: &[(Control, &str, &str)] = &[
    (
        Control::PhysicalThreats,
        "PhysicalThreats",
        "Physical threats",
    ),
    (
        Control::ThreatsLawEnforcement,
        "ThreatsLawEnforcement",
        "Threats of law enforcement",
    ),
    (
        Control::ThreatensChildrenFamily,
        "ThreatensChildrenFamily",
        "Threatens children/family",
    ),
    (Control::DebtBondage, "DebtBondage", "Debt bondage"),
    (Control::FalsePromises, "FalsePromises", "False promises"),
    (Control::PhysicalAbuse, "PhysicalAbuse", "Physical abuse"),
    (Control::SexualAbuse, "SexualAbuse", "Sexual abuse"),
    (Control::TakesEarnings, "TakesEarnings", "Takes earnings"),
    (
        Control::RestrictsFinancialAccess,
        "RestrictsFinancialAccess",
        "Restricts financial access",
    ),
    (
        Control::RestrictsMedicalCare,
        "RestrictsMedicalCare",
        "Restricts medical care",
    ),
    (
        Control::WithholdsNecessities,
        "WithholdsNecessities",
        "Withholds necessities",
    ),
    (
        Control::PsychologicalAbuse,
        "PsychologicalAbuse",
        "Psychological abuse",
    ),
    (
        Control::PsychoactiveSubstance,
        "PsychoactiveSubstance",
        "Psychoactive substance",
    ),
    (
        Control::ExcessiveWorkingHours,
        "ExcessiveWorkingHours",
        "Excessive working hours",
    ),
    (
        Control::WithholdsDocuments,
        "WithholdsDocuments",
        "Withholds documents",
    ),
    (Control::Other, "Other", "Other"),
];

const EXPLOITATIONS: &[(Exploitation, &str, &str)] = &[
    (Exploitation::ForcedLabour, "ForcedLabour", "Forced labour"),
    (
        Exploitation::SexualExploitation,
        "SexualExploitation",
        "Sexual exploitation",
    ),
    (Exploitation::ChildLabour, "ChildLabour", "Child labour"),
    (
        Exploitation::ForcedMarriage,
        "ForcedMarriage",
        "Forced marriage",
    ),
    (Exploitation::Servitude, "Servitude", "Servitude"),
    (
        Exploitation::ForcedMilitaryByNonStateActors,
        "ForcedMilitaryByNonStateActors",
        "Forced military (by non-state actors)",
    ),
    (Exploitation::OrganRemoval, "OrganRemoval", "Organ removal"),
    (
        Exploitation::ForcedBegging,
        "ForcedBegging",
        "Forced begging",
    ),
    (
        Exploitation::ForcedAdoption,
        "ForcedAdoption",
        "Forced adoption",
    ),
    (Exploitation::Surrogacy, "Surrogacy", "Surrogacy"),
    (Exploitation::Other, "Other", "Other"),
];

/// The HTCDS roles in the process; the model's `Employer` and `DocumentForger` have none.
const ROLES: &[(Role, &str, &str)] = &[
    (
        Role::TravellingPartner,
        "TravellingPartner",
        "Travelling Partner",
    ),
    (Role::Transporter, "Transporter", "Transporter"),
    (
        Role::RecruiterOrIntermediary,
        "RecruiterOrIntermediary",
        "Recruiter Or Intermediary",
    ),
    (
        Role::BrokerTravelAgent,
        "BrokerTravelAgent",
        "Broker Travel Agent",
    ),
    (
        Role::TransferredIndividual,
        "TransferredIndividual",
        "Transferred Individual",
    ),
    (
        Role::HarbouredIndividual,
        "HarbouredIndividual",
        "Harboured Individual",
    ),
    (Role::SoldIndividual, "SoldIndividual", "Sold Individual"),
    (
        Role::BoughtIndividual,
        "BoughtIndividual",
        "Bought Individual",
    ),
    (
        Role::ReceivedIndividual,
        "ReceivedIndividual",
        "Received Individual",
    ),
    (
        Role::ControlledIndividual,
        "ControlledIndividual",
        "Controlled Individual",
    ),
    (Role::Smuggler, "Smuggler", "Smuggler"),
    (Role::Abuser, "Abuser", "Abuser"),
    (Role::Kidnapper, "Kidnapper", "Kidnapper"),
    (Role::Exploiter, "Exploiter", "Exploiter"),
    (Role::Other, "Other", "Other"),
];

/// `hte_Type`: the three stages HTCDS names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HteType {
    Recruitment,
    Transit,
    Exploitation,
}

const HTE_TYPES: &[(HteType, &str, &str)] = &[
    (HteType::Recruitment, "Recruitment", "Recruitment"),
    (HteType::Transit, "Transit", "Transit"),
    (HteType::Exploitation, "Exploitation", "Exploitation"),
];

/// `vic_ForcedLabourIndustry` (ISIC Rev.4 sections): read to validate it, not mapped. Four
/// labels hold a semicolon, which is why multi-select cells are matched against the whole
/// vocabulary before they are split.
const INDUSTRIES: &[(char, &str, &str)] = &[
    (
        'A',
        "A_AgricultureForestryAndFishing",
        "Agriculture, forestry and fishing",
    ),
    ('B', "B_MiningAndQuarrying", "Mining and quarrying"),
    ('C', "C_Manufacturing", "Manufacturing"),
    (
        'D',
        "D_ElectricityGasSteamAndAirConditioningSupply",
        "Electricity, gas, steam and air conditioning supply",
    ),
    (
        'E',
        "E_WaterSupplySewerageWasteManagement",
        "Water supply; sewerage, waste management and remediation",
    ),
    ('F', "F_Construction", "Construction"),
    (
        'G',
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    (
        'H',
        "H_TransportationAndStorage",
        "Transportation and storage",
    ),
    (
        'I',
        "I_AccommodationAndFoodServiceActivities",
        "Accommodation and food service activities",
    ),
    (
        'J',
        "J_InformationAndCommunication",
        "Information and communication",
    ),
    (
        'K',
        "K_FinancialAndInsuranceActivities",
        "Financial and insurance activities",
    ),
    ('L', "L_RealEstateActivities", "Real estate activities"),
    (
        'M',
        "M_ProfessionalScientificAndTechnicalActivities",
        "Professional, scientific and technical activities",
    ),
    (
        'N',
        "N_AdministrativeAndSupportServiceActivities",
        "Administrative and support service activities",
    ),
    (
        'O',
        "O_PublicAdministrationAndDefence",
        "Public administration and defence; compulsory social security",
    ),
    ('P', "P_Education", "Education"),
    (
        'Q',
        "Q_HumanHealthAndSocialWorkActivities",
        "Human health and social work activities",
    ),
    (
        'R',
        "R_ArtsEntertainmentAndRecreation",
        "Arts, entertainment and recreation",
    ),
    ('S', "S_OtherServiceActivities", "Other service activities"),
    (
        'T',
        "T_ActivitiesOfHouseholdsAsEmployers",
        "Activities of households as employers; undifferentiated goods- and services- producing activities of households for own use",
    ),
    (
        'U',
        "U_ActivitiesOfExtraterritorialOrganizations",
        "Activities of extraterritorial organizations and bodies",
    ),
];

/// Every field of HTCDS 2.0 (sheet `Field_Standards` of `HTCDS Field Standards 2.0.ods`) with
/// its label: to recognise the columns that are not mapped, and the Excel template's label row.
const HTCDS_FIELDS: &[(&str, &str)] = &[
    ("org_Name", "Organisation Name"),
    ("org_ShippingCity", "Shipping City"),
    ("org_ShippingCountry", "Shipping Country"),
    ("org_ShippingState", "Shipping State/Province"),
    ("org_ShippingStreet", "Shipping Street"),
    ("org_ShippingPostalCode", "Shipping Zip/Postal Code"),
    ("org_ShippingLongitude", "Longitude"),
    ("org_ShippingLatitude", "Latitude"),
    ("org_Phone", "Phone"),
    ("org_Type", "Type"),
    ("prs_Salutation", "Salutation"),
    ("prs_FirstName", "First Name"),
    ("prs_MiddleName", "Middle Name"),
    ("prs_SecondName", "Second Name"),
    ("prs_Birthdate", "Birthdate"),
    ("prs_Gender", "Gender"),
    ("prs_Deceased", "Deceased"),
    ("prs_MaritalStatus", "Marital Status"),
    ("prs_NumberOfChildren", "Number of Children"),
    ("prs_PrimaryLanguage", "Primary Language"),
    ("prs_SecondaryLanguage", "Secondary Language"),
    ("prs_HighestLevelOfEducation", "Highest Level of Education"),
    ("prs_Citizenship", "Citizenship"),
    ("prs_IdentityNumber", "Identity Number"),
    ("prs_Title", "Title"),
    ("prs_Email", "Email"),
    ("prs_HomePhone", "Home Phone"),
    ("prs_MobilePhone", "Mobile Phone"),
    ("prs_MailingCity", "Mailing City"),
    ("prs_MailingCountry", "Mailing Country"),
    ("prs_MailingState", "Mailing State/Province"),
    ("prs_MailingStreet", "Mailing Street"),
    ("prs_MailingPostalCode", "Mailing Zip/Postal Code"),
    ("prs_MailingLongitude", "Longitude"),
    ("prs_MailingLatitude", "Latitude"),
    (
        "vic_AgreementToManagePersonalData",
        "Agreement to Manage Personal Data",
    ),
    ("vic_TraffickingStatus", "Trafficking Status"),
    (
        "vic_TraffickingStatusDecisionMakingOrg",
        "Trafficking Status Decision Making Organization",
    ),
    ("vic_RelationshipToTrafficker", "Relationship to Trafficker"),
    ("vic_AgeWhenTrafficked", "Age when Trafficked"),
    (
        "vic_RecruitmentWebsitesAndApps",
        "Recruitment Websites and Apps",
    ),
    ("vic_MethodOfRecruitment", "Method of Recruitment"),
    ("vic_LocationOfRecruitment", "Location of Recruitment"),
    ("vic_MethodsOfControl", "Methods of Control"),
    ("vic_TypeOfExploitation", "Type of Exploitation"),
    ("vic_ForcedLabourIndustry", "Forced Labour Industry"),
    ("vic_TypeOfSexExploitation", "Type of Sex Exploitation"),
    ("vic_LocationOfExploitation", "Location of Exploitation"),
    (
        "vic_ExploitationWebsitesAndApps",
        "Exploitation Websites and Apps",
    ),
    ("vic_Vulnerabilities", "Vulnerabilities"),
    ("vic_DetailsOfVulnerabilities", "Details Of Vulnerabilities"),
    ("per_RoleInProcess", "Role in Process"),
    ("per_RoleDetails", "Role Details"),
    ("cas_Status", "Status"),
    ("cas_ReasonForCaseClosure", "Reason for Case Closure"),
    ("cas_CaseOwner", "Case Owner"),
    ("cas_ReferringOrganisation", "Referring Organisation"),
    ("cas_IncomingReferralDate", "Incoming Referral Date"),
    (
        "cas_ReferringPrimaryCaseWorker",
        "Referring Primary Case Worker",
    ),
    (
        "cas_ReasonForIncomingReferral",
        "Reason for Incoming Referral",
    ),
    ("cas_IncomingReferralDetails", "Incoming Referral Details"),
    ("cas_ReferredOrganisation", "Referred Organisation"),
    (
        "cas_ReferredPrimaryCaseWorker",
        "Referred Primary Case Worker",
    ),
    (
        "cas_ReasonForOutgoingReferral",
        "Reason for Outgoing Referral",
    ),
    ("cas_OutgoingReferralDate", "Outgoing Referral Date"),
    ("cas_OutgoingReferralDetails", "Outgoing Referral Details"),
    ("cco_CaseComment", "Case Comment"),
    ("hte_Longitude", "Longitude"),
    ("hte_Latitude", "Latitude"),
    ("hte_City", "City"),
    ("hte_Country", "Country"),
    ("hte_State", "State"),
    ("hte_Street", "Street"),
    ("hte_PostalCode", "PostalCode"),
    ("hte_Date", "Date"),
    ("hte_Type", "Type"),
    ("hte_Description", "Description"),
    ("spl_Objectives", "Objectives"),
    ("spl_ActionPlan", "Action Plan"),
    ("spl_PlannedEndDate", "Planned End Date"),
    ("spl_ActualEndDate", "Actual End Date"),
    ("spl_Type", "Type"),
    ("con_Consent", "Consent"),
    ("per_Organisation", "Organisation"),
];

/// Known misspellings of field names in the HTCDS toolkits, with the ODS spelling. (The
/// XLSForm's `prs_First_Name` and `vic_Methods_of_Control` need no entry: names are compared
/// without case and without underscores.)
const FIELD_ALIASES: &[(&str, &str)] = &[(
    "vic_TraffickinStatusDecisionMakingOrg",
    "vic_TraffickingStatusDecisionMakingOrg",
)];

// ---------------------------------------------------------------------------------------
// Columns written and read

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    CaseId,
    PersonId,
    ActorId,
    Gender,
    Birthdate,
    Citizenship,
    TraffickingStatus,
    MethodsOfControl,
    TypeOfExploitation,
    RoleInProcess,
    HteDate,
    HteType,
    HteCountry,
    HteState,
    EventId,
    EventKind,
    EventDateTo,
    Refused,
}

/// The columns [`to_htcds`] writes, in order.
const COLUMNS: &[(Col, &str)] = &[
    (Col::CaseId, "dlm_CaseId"),
    (Col::PersonId, "dlm_PersonId"),
    (Col::ActorId, "dlm_ActorId"),
    (Col::Gender, "prs_Gender"),
    (Col::Birthdate, "prs_Birthdate"),
    (Col::Citizenship, "prs_Citizenship"),
    (Col::TraffickingStatus, "vic_TraffickingStatus"),
    (Col::MethodsOfControl, "vic_MethodsOfControl"),
    (Col::TypeOfExploitation, "vic_TypeOfExploitation"),
    (Col::RoleInProcess, "per_RoleInProcess"),
    (Col::HteDate, "hte_Date"),
    (Col::HteType, "hte_Type"),
    (Col::HteCountry, "hte_Country"),
    (Col::HteState, "hte_State"),
    (Col::EventId, "dlm_EventId"),
    (Col::EventKind, "dlm_EventKind"),
    (Col::EventDateTo, "dlm_EventDateTo"),
    (Col::Refused, "dlm_Refused"),
];

/// The separator of multi-select values and of the flattened `hte_` lists.
pub const SEPARATOR: &str = "; ";

/// The names of the columns [`to_htcds`] writes, in order: HTCDS 2.0 field names, and the
/// `dlm_` columns for what HTCDS has no field for.
pub fn htcds_columns() -> Vec<&'static str> {
    COLUMNS.iter().map(|(_, n)| *n).collect()
}

fn col_name(c: Col) -> &'static str {
    COLUMNS
        .iter()
        .find(|(x, _)| *x == c)
        .map(|(_, n)| *n)
        .unwrap_or("?")
}

/// Lower case, letters and digits only: how names, labels and headers are compared.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn name_of<T: Copy + PartialEq>(
    table: &[(T, &'static str, &'static str)],
    v: T,
) -> Option<&'static str> {
    table.iter().find(|(x, _, _)| *x == v).map(|(_, n, _)| *n)
}

fn lookup<T: Copy>(table: &[(T, &str, &str)], s: &str) -> Option<T> {
    let n = norm(s);
    if n.is_empty() {
        return None;
    }
    table
        .iter()
        .find(|(_, name, label)| norm(name) == n || norm(label) == n)
        .map(|(v, _, _)| *v)
}

fn push_unique<T: PartialEq>(out: &mut Vec<T>, v: T) {
    if !out.contains(&v) {
        out.push(v);
    }
}

/// Reads a multi-select cell: value names or labels, in any case, separated by `;` (with or
/// without a space), or by spaces as XLSForm writes them. A label that holds a semicolon is
/// matched whole before the cell is split.
fn parse_multi<T: Copy + PartialEq>(
    cell: &str,
    table: &[(T, &str, &str)],
) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(out);
    }
    if let Some(v) = lookup(table, cell) {
        out.push(v);
        return Ok(out);
    }
    let parts: Vec<&str> = cell.split(';').collect();
    let mut i = 0;
    'parts: while i < parts.len() {
        let part = parts[i].trim();
        if part.is_empty() {
            i += 1;
            continue;
        }
        for span in [3, 2] {
            if let Some(group) = parts.get(i..i + span)
                && let Some(v) = lookup(table, &group.join(";"))
            {
                push_unique(&mut out, v);
                i += span;
                continue 'parts;
            }
        }
        if let Some(v) = lookup(table, part) {
            push_unique(&mut out, v);
            i += 1;
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        let by_name = |w: &&str| {
            table
                .iter()
                .find(|(_, name, _)| norm(name) == norm(w))
                .map(|(v, _, _)| *v)
        };
        match words.iter().map(by_name).collect::<Option<Vec<T>>>() {
            Some(vs) if words.len() > 1 => vs.into_iter().for_each(|v| push_unique(&mut out, v)),
            _ => {
                let names: Vec<&str> = table.iter().map(|(_, n, _)| *n).collect();
                return Err(format!("`{part}` is not one of: {}", names.join(", ")));
            }
        }
        i += 1;
    }
    Ok(out)
}

/// An ISO 3166-1 alpha-2 code for a country written as an alpha-2 or alpha-3 code or by its
/// ISO name (as the Excel template's list writes it).
fn country_alpha2(s: &str) -> Option<&'static str> {
    let t = s.trim();
    let code = match t.len() {
        2 => CountryCode::for_alpha2_caseless(t).ok(),
        3 => CountryCode::for_alpha3_caseless(t).ok(),
        _ => None,
    };
    code.or_else(|| {
        let n = norm(t);
        (!n.is_empty())
            .then(|| CountryCode::iter().find(|c| norm(c.name()) == n).copied())
            .flatten()
    })
    .map(|c| c.alpha2())
}

fn parse_countries(cell: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    if cell.trim().is_empty() {
        return Ok(out);
    }
    if let Some(c) = country_alpha2(cell) {
        out.push(c.to_string());
        return Ok(out);
    }
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match country_alpha2(part) {
            Some(c) => push_unique(&mut out, c.to_string()),
            None => {
                return Err(format!(
                    "`{part}` is not an ISO 3166-1 country code or name"
                ));
            }
        }
    }
    Ok(out)
}

/// A date written `YYYY-MM-DD` (a time after it is ignored), or as an Excel serial day number
/// (with a note saying so), within the dates a case may give ([`crate::limits::date_within`]).
fn parse_date(s: &str, notes: &mut Vec<String>) -> Result<Date, String> {
    let d = read_date(s, notes)?;
    if !crate::limits::date_within(d) {
        return Err(format!(
            "`{}` is outside the dates a case may give ({})",
            s.trim(),
            crate::limits::DATE_RANGE
        ));
    }
    Ok(d)
}

fn read_date(s: &str, notes: &mut Vec<String>) -> Result<Date, String> {
    let t = s.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Ok(d);
    }
    if let Some((day, _)) = t.split_once(['T', ' '])
        && let Ok(d) = day.parse::<Date>()
    {
        return Ok(d);
    }
    if t.len() == 5
        && t.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = t.parse::<i64>()
        && (10_000..=73_051).contains(&n)
        && let Ok(d) = jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().days(n))
    {
        notes.push(format!("`{t}` read as an Excel serial day number: {d}"));
        return Ok(d);
    }
    Err(format!("`{t}` is not a date: expected YYYY-MM-DD"))
}

fn split_list(cell: &str) -> Vec<&str> {
    if cell.trim().is_empty() {
        Vec::new()
    } else {
        cell.split(';').map(str::trim).collect()
    }
}

fn kind_name(k: EventKind) -> String {
    match serde_json::to_value(k) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{k:?}"),
    }
}

fn parse_kind(s: &str) -> Option<EventKind> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).ok()
}

/// The HTCDS stage of an event, where HTCDS has one for its kind.
fn hte_type_of(k: EventKind) -> Option<HteType> {
    match k {
        EventKind::Recruitment => Some(HteType::Recruitment),
        EventKind::Transportation
        | EventKind::Transfer
        | EventKind::BorderCrossing
        | EventKind::Entry => Some(HteType::Transit),
        EventKind::Exploitation => Some(HteType::Exploitation),
        _ => None,
    }
}

fn kind_of(t: HteType) -> EventKind {
    match t {
        HteType::Recruitment => EventKind::Recruitment,
        HteType::Transit => EventKind::Transportation,
        HteType::Exploitation => EventKind::Exploitation,
    }
}

// ---------------------------------------------------------------------------------------
// What one row carries: the common ground of the model and of the CSV.

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: String,
    kind: EventKind,
    date: When,
    place: Option<Place>,
}

#[derive(Clone, Debug, PartialEq)]
struct VictimRow {
    case_id: Option<String>,
    person_id: String,
    gender: Answer<Gender>,
    birth: Answer<Birth>,
    citizenship: Answer<Vec<String>>,
    control: Answer<Vec<Control>>,
    exploitation: Answer<Vec<Exploitation>>,
    events: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq)]
struct ActorRow {
    case_id: Option<String>,
    actor_id: String,
    roles: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq)]
enum Row {
    Victim(VictimRow),
    Actor(ActorRow),
}

/// The union of several answers to one multi-select question: the values known anywhere;
/// else refused when refused anywhere; else unknown. An empty list is unknown: HTCDS cannot
/// say "none".
fn union<'a, T: Copy + PartialEq + 'a>(
    answers: impl Iterator<Item = &'a Answer<Vec<T>>>,
) -> Answer<Vec<T>> {
    let (mut values, mut known, mut refused) = (Vec::new(), false, false);
    for a in answers {
        match a {
            Answer::Known(vs) => {
                known = true;
                vs.iter().for_each(|v| push_unique(&mut values, *v));
            }
            Answer::Refused => refused = true,
            Answer::Unknown => {}
        }
    }
    match (known && !values.is_empty(), refused && !known) {
        (true, _) => Answer::Known(values),
        (false, true) => Answer::Refused,
        _ => Answer::Unknown,
    }
}

fn concerns(e: &Event, person: &str) -> bool {
    e.persons.iter().any(|p| p == person)
}

fn rows_of(case: &TimelineCase) -> Vec<Row> {
    let mut rows = Vec::new();
    for p in &case.persons {
        let events: Vec<&Event> = case.events.iter().filter(|e| concerns(e, &p.id)).collect();
        let of = |k: EventKind| events.iter().copied().filter(move |e| e.kind == k);
        let citizenship = match &p.citizenships {
            Answer::Known(cs) if cs.is_empty() => Answer::Unknown,
            Answer::Known(cs) => {
                let mut out = Vec::new();
                cs.iter().for_each(|c| push_unique(&mut out, c.clone()));
                Answer::Known(out)
            }
            other => other.clone(),
        };
        let birth = match &p.birth {
            Answer::Known(Birth::Date(d)) => Answer::Known(Birth::Date(*d)),
            Answer::Known(_) | Answer::Unknown => Answer::Unknown,
            Answer::Refused => Answer::Refused,
        };
        rows.push(Row::Victim(VictimRow {
            case_id: case.id.clone(),
            person_id: p.id.clone(),
            gender: p.gender.clone(),
            birth,
            citizenship,
            control: union(of(EventKind::Control).map(|e| &e.control)),
            exploitation: union(of(EventKind::Exploitation).map(|e| &e.exploitation)),
            events: events
                .iter()
                .map(|e| Entry {
                    id: e.id.clone(),
                    kind: e.kind,
                    date: e.date.clone(),
                    place: e.place.as_ref().map(|pl| Place {
                        country: pl.country.clone(),
                        region: pl
                            .region
                            .as_deref()
                            .map(str::trim)
                            .filter(|r| !r.is_empty())
                            .map(String::from),
                    }),
                })
                .collect(),
        }));
    }
    for a in &case.actors {
        let mut roles = Vec::new();
        a.roles
            .iter()
            .filter(|r| name_of(ROLES, **r).is_some())
            .for_each(|r| push_unique(&mut roles, *r));
        rows.push(Row::Actor(ActorRow {
            case_id: case.id.clone(),
            actor_id: a.id.clone(),
            roles,
        }));
    }
    rows
}

fn blank_event(id: String, kind: EventKind, person: &str) -> Event {
    Event::new(id, kind, When::Unknown, person)
}

fn unique_id(events: &[Event], base: &str) -> String {
    let taken = |id: &str| events.iter().any(|e| e.id == id);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// Puts a victim-level answer on the first event of `kind`, or on a new undated event.
fn attach<T>(
    events: &mut Vec<Event>,
    kind: EventKind,
    base: &str,
    person: &str,
    answer: Answer<Vec<T>>,
    set: impl Fn(&mut Event, Answer<Vec<T>>),
) {
    if matches!(answer, Answer::Unknown) {
        return;
    }
    match events.iter_mut().find(|e| e.kind == kind) {
        Some(e) => set(e, answer),
        None => {
            let mut e = blank_event(unique_id(events, base), kind, person);
            set(&mut e, answer);
            events.push(e);
        }
    }
}

/// Builds cases from rows: one per victim row, with the actor rows of the same case id when
/// `linked` (the rows carry case ids); `rows` holds (spreadsheet row, row).
fn assemble(
    rows: Vec<(usize, Row)>,
    linked: bool,
    warnings: &mut Vec<String>,
) -> Vec<TimelineCase> {
    // The cases with a person's row, and the actors of each case, looked up rather than
    // searched for: a file of many rows would otherwise take time in the square of its rows.
    let with_victims: HashSet<&Option<String>> = rows
        .iter()
        .filter_map(|(_, r)| match r {
            Row::Victim(v) => Some(&v.case_id),
            Row::Actor(_) => None,
        })
        .collect();
    let mut actors_of: HashMap<&Option<String>, Vec<Actor>> = HashMap::new();
    if linked {
        for (_, r) in &rows {
            if let Row::Actor(a) = r {
                actors_of.entry(&a.case_id).or_default().push(Actor {
                    id: a.actor_id.clone(),
                    kind: ActorKind::Natural,
                    roles: a.roles.clone(),
                    relations: Vec::new(),
                });
            }
        }
    }
    for (n, r) in &rows {
        if let Row::Actor(a) = r
            && (!linked || !with_victims.contains(&a.case_id))
        {
            warnings.push(format!(
                "row {n}: actor `{}` belongs to no person's row (rows are linked by `dlm_CaseId`); not imported",
                a.actor_id
            ));
        }
    }
    let mut cases = Vec::new();
    for (_, r) in &rows {
        let Row::Victim(v) = r else { continue };
        let mut events: Vec<Event> = v
            .events
            .iter()
            .map(|x| {
                let mut e = blank_event(x.id.clone(), x.kind, &v.person_id);
                e.date = x.date.clone();
                e.place = x.place.clone();
                e
            })
            .collect();
        attach(
            &mut events,
            EventKind::Control,
            "vic-control",
            &v.person_id,
            v.control.clone(),
            |e, a| e.control = a,
        );
        attach(
            &mut events,
            EventKind::Exploitation,
            "vic-exploitation",
            &v.person_id,
            v.exploitation.clone(),
            |e, a| e.exploitation = a,
        );
        let actors = actors_of.get(&v.case_id).cloned().unwrap_or_default();
        cases.push(TimelineCase {
            schema: CASE_SCHEMA.to_string(),
            id: v.case_id.clone(),
            title: None,
            as_of: None,
            doctrines: Vec::new(),
            persons: vec![Person {
                id: v.person_id.clone(),
                citizenships: v.citizenship.clone(),
                stateless: Answer::Unknown,
                permanent_residence: Answer::Unknown,
                birth: v.birth.clone(),
                gender: v.gender.clone(),
                facts: Default::default(),
            }],
            actors,
            events,
            note: None,
        });
    }
    cases
}

/// What of `case` survives an exchange through HTCDS: one case per person, holding that
/// person's mapped attributes, the events that concern them (kind, date, place), the means of
/// control and types of exploitation as HTCDS records them (per person, on the first control
/// and the first exploitation event), and the case's actors with their HTCDS roles.
/// `from_htcds(&to_htcds(case)?)` returns exactly this.
pub fn htcds_projection(case: &TimelineCase) -> Vec<TimelineCase> {
    let rows = rows_of(case).into_iter().map(|r| (0, r)).collect();
    assemble(rows, true, &mut Vec::new())
}

// ---------------------------------------------------------------------------------------
// Export

fn check_id(what: &str, id: &str, list: bool) -> Result<(), ExchangeError> {
    if id.is_empty() || id.trim() != id || (list && id.contains(';')) {
        return Err(ExchangeError::Unexportable(format!(
            "{what} `{id}` must be non-empty, without surrounding spaces{}",
            if list {
                " and without `;` (the list separator)"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

fn check_country(what: &str, code: &str) -> Result<(), ExchangeError> {
    match CountryCode::for_alpha2(code) {
        Ok(_) => Ok(()),
        Err(_) => Err(ExchangeError::Unexportable(format!(
            "{what}: `{code}` is not an ISO 3166-1 alpha-2 code"
        ))),
    }
}

fn check_exportable(case: &TimelineCase) -> Result<(), ExchangeError> {
    if let Some(id) = &case.id {
        check_id("case id", id, false)?;
    }
    for p in &case.persons {
        check_id("person id", &p.id, false)?;
        if let Answer::Known(cs) = &p.citizenships {
            for c in cs {
                check_country(&format!("person `{}`, citizenships", p.id), c)?;
            }
        }
    }
    for a in &case.actors {
        check_id("actor id", &a.id, false)?;
    }
    for e in case
        .events
        .iter()
        .filter(|e| case.persons.iter().any(|p| concerns(e, &p.id)))
    {
        check_id("event id", &e.id, true)?;
        if let Some(place) = &e.place {
            check_country(&format!("event `{}`, place", e.id), &place.country)?;
            if place.region.as_deref().is_some_and(|r| r.contains(';')) {
                return Err(ExchangeError::Unexportable(format!(
                    "event `{}`: the region holds `;`, the list separator",
                    e.id
                )));
            }
        }
    }
    Ok(())
}

fn join<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}

fn names<T: Copy + PartialEq>(
    table: &[(T, &'static str, &'static str)],
    a: &Answer<Vec<T>>,
) -> String {
    match a {
        Answer::Known(vs) => join(vs.iter().filter_map(|v| name_of(table, *v))),
        _ => String::new(),
    }
}

/// The columns holding one position per event of the row.
const LISTS: [Col; 7] = [
    Col::HteDate,
    Col::HteType,
    Col::HteCountry,
    Col::HteState,
    Col::EventId,
    Col::EventKind,
    Col::EventDateTo,
];

fn record(row: &Row) -> Vec<String> {
    let mut cells = vec![String::new(); COLUMNS.len()];
    let mut put = |c: Col, v: String| {
        if let Some(i) = COLUMNS.iter().position(|(x, _)| *x == c) {
            cells[i] = v;
        }
    };
    match row {
        Row::Actor(a) => {
            put(Col::CaseId, a.case_id.clone().unwrap_or_default());
            put(Col::ActorId, a.actor_id.clone());
            put(
                Col::RoleInProcess,
                join(a.roles.iter().filter_map(|r| name_of(ROLES, *r))),
            );
        }
        Row::Victim(v) => {
            put(Col::CaseId, v.case_id.clone().unwrap_or_default());
            put(Col::PersonId, v.person_id.clone());
            let mut refused = Vec::new();
            if let Answer::Known(g) = v.gender {
                put(
                    Col::Gender,
                    name_of(GENDERS, g).unwrap_or_default().to_string(),
                );
            }
            if let Answer::Known(Birth::Date(d)) = &v.birth {
                put(Col::Birthdate, d.to_string());
            }
            if let Answer::Known(cs) = &v.citizenship {
                put(Col::Citizenship, join(cs));
            }
            put(Col::MethodsOfControl, names(CONTROLS, &v.control));
            put(
                Col::TypeOfExploitation,
                names(EXPLOITATIONS, &v.exploitation),
            );
            for (c, r) in [
                (Col::Gender, v.gender == Answer::Refused),
                (Col::Birthdate, v.birth == Answer::Refused),
                (Col::Citizenship, v.citizenship == Answer::Refused),
                (Col::MethodsOfControl, v.control == Answer::Refused),
                (Col::TypeOfExploitation, v.exploitation == Answer::Refused),
            ] {
                if r {
                    refused.push(col_name(c));
                }
            }
            put(Col::Refused, join(refused));
            let es = &v.events;
            if !es.is_empty() {
                put(Col::EventId, join(es.iter().map(|e| e.id.as_str())));
                put(Col::EventKind, join(es.iter().map(|e| kind_name(e.kind))));
                put(
                    Col::HteType,
                    join(es.iter().map(|e| {
                        hte_type_of(e.kind)
                            .and_then(|t| name_of(HTE_TYPES, t))
                            .unwrap_or("")
                    })),
                );
                put(
                    Col::HteDate,
                    join(
                        es.iter()
                            .map(|e| e.date.earliest().map(|d| d.to_string()).unwrap_or_default()),
                    ),
                );
                put(
                    Col::EventDateTo,
                    join(es.iter().map(|e| match e.date {
                        When::Range { to, .. } => to.to_string(),
                        _ => String::new(),
                    })),
                );
                let place = |f: &dyn Fn(&Place) -> String| {
                    join(
                        es.iter()
                            .map(|e| e.place.as_ref().map(f).unwrap_or_default()),
                    )
                };
                put(Col::HteCountry, place(&|p| p.country.clone()));
                put(
                    Col::HteState,
                    place(&|p| p.region.clone().unwrap_or_default()),
                );
            }
        }
    }
    // A list whose every position is empty is written as an empty cell.
    for (i, (col, _)) in COLUMNS.iter().enumerate() {
        if LISTS.contains(col) && cells[i].split(';').all(|p| p.trim().is_empty()) {
            cells[i].clear();
        }
    }
    cells
}

/// Writes a case as HTCDS 2.0 CSV: a header row of field names, then one row per person and
/// one per actor. See the module documentation for the shape and `docs/htcds-mapping.md` for
/// each field; [`htcds_losses`] says what of this case the export leaves out.
///
/// Fails when an identifier or a country code could not be read back unchanged.
pub fn to_htcds(case: &TimelineCase) -> Result<String, ExchangeError> {
    check_exportable(case)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(htcds_columns())?;
    for row in rows_of(case) {
        w.write_record(record(&row))?;
    }
    let bytes = w.into_inner().map_err(|e| ExchangeError::Csv {
        row: None,
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| ExchangeError::Csv {
        row: None,
        message: e.to_string(),
    })
}

/// What [`to_htcds`] leaves out of this case, one line per thing: attributes HTCDS has no field
/// for (see `docs/htcds-mapping.md`), named with the person, actor or event they belong to.
pub fn htcds_losses(case: &TimelineCase) -> Vec<String> {
    let mut out = Vec::new();
    for (set, what) in [
        (case.title.is_some(), "title"),
        (case.as_of.is_some(), "as_of"),
        (!case.doctrines.is_empty(), "doctrines"),
        (case.note.is_some(), "note"),
    ] {
        if set {
            out.push(format!("case: `{what}`"));
        }
    }
    if case.persons.len() > 1 {
        out.push(format!(
            "case: its {} persons come back as {} separate cases",
            case.persons.len(),
            case.persons.len()
        ));
    }
    for p in &case.persons {
        let mut lost = Vec::new();
        if !p.stateless.is_unknown() {
            lost.push("stateless");
        }
        if !p.permanent_residence.is_unknown() {
            lost.push("permanent_residence");
        }
        if matches!(p.birth, Answer::Known(Birth::Year(_) | Birth::Age { .. })) {
            lost.push("birth (only a full date maps to prs_Birthdate)");
        }
        if p.citizenships == Answer::Known(Vec::new()) {
            lost.push("citizenships: an empty list reads back as unknown");
        }
        if !p.facts.is_empty() {
            lost.push("facts");
        }
        if !lost.is_empty() {
            out.push(format!("person `{}`: {}", p.id, lost.join(", ")));
        }
    }
    for a in &case.actors {
        let mut lost = Vec::new();
        if a.kind == ActorKind::Legal {
            lost.push("kind: legal");
        }
        if !a.relations.is_empty() {
            lost.push("relations");
        }
        if a.roles.iter().any(|r| name_of(ROLES, *r).is_none()) {
            lost.push("roles without an HTCDS value (Employer, DocumentForger)");
        }
        if !lost.is_empty() {
            out.push(format!("actor `{}`: {}", a.id, lost.join(", ")));
        }
    }
    for e in &case.events {
        if !case.persons.iter().any(|p| concerns(e, &p.id)) {
            out.push(format!("event `{}`: concerns no person of the case", e.id));
            continue;
        }
        let mut lost: Vec<&str> = Vec::new();
        for (set, what) in [
            (!e.actors.is_empty(), "actors"),
            (!e.means.is_unknown(), "means"),
            (!e.purpose.is_unknown(), "purpose"),
            (e.from.is_some() || e.to.is_some(), "from/to"),
            (!e.at_checkpoint.is_unknown(), "at_checkpoint"),
            (!e.documents.is_unknown(), "documents"),
            (!e.lawful.is_unknown(), "lawful"),
            (e.basis.is_some(), "basis"),
            (e.sector.is_some(), "sector"),
            (e.payer.is_some() || e.payee.is_some(), "payer/payee"),
            (e.payment_purpose.is_some(), "payment_purpose"),
            (e.amount_usd.is_some(), "amount_usd"),
            (!e.consent.is_unknown(), "consent"),
            (!e.facts.is_empty(), "facts"),
            (e.note.is_some(), "note"),
            (
                e.kind != EventKind::Control && !e.control.is_unknown(),
                "control (read on control events only)",
            ),
            (
                e.kind != EventKind::Exploitation && !e.exploitation.is_unknown(),
                "exploitation (read on exploitation events only)",
            ),
        ] {
            if set {
                lost.push(what);
            }
        }
        if !lost.is_empty() {
            out.push(format!("event `{}`: {}", e.id, lost.join(", ")));
        }
    }
    for (kind, what) in [
        (EventKind::Control, "means of control"),
        (EventKind::Exploitation, "types of exploitation"),
    ] {
        let n = case.events.iter().filter(|e| e.kind == kind).count();
        if n > 1 {
            out.push(format!(
                "events: the {what} of {n} {} events are recorded per person, on the first of them",
                kind_name(kind)
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Import

/// What a column of the file is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Header {
    Mapped(Col),
    /// An HTCDS field (by its ODS name) that delimit does not read.
    Unmapped(&'static str),
    /// Not an HTCDS field.
    Foreign,
    /// No name: the Excel template's row-number column.
    Blank,
}

fn classify(name: &str) -> Header {
    let n = norm(name);
    if n.is_empty() {
        return Header::Blank;
    }
    if let Some((c, _)) = COLUMNS
        .iter()
        .find(|(c, x)| norm(x) == n && *c != Col::TraffickingStatus)
    {
        return Header::Mapped(*c);
    }
    if let Some((_, canonical)) = FIELD_ALIASES.iter().find(|(alias, _)| norm(alias) == n) {
        return Header::Unmapped(canonical);
    }
    match HTCDS_FIELDS.iter().find(|(f, _)| norm(f) == n) {
        Some((f, _)) => Header::Unmapped(f),
        None => Header::Foreign,
    }
}

/// Why an HTCDS field is not read.
fn unmapped_reason(field: &str) -> &'static str {
    const IDENTIFYING: &[&str] = &[
        "prs_Salutation",
        "prs_FirstName",
        "prs_MiddleName",
        "prs_SecondName",
        "prs_IdentityNumber",
        "prs_Email",
        "prs_HomePhone",
        "prs_MobilePhone",
        "prs_MailingStreet",
        "prs_MailingPostalCode",
        "prs_MailingLongitude",
        "prs_MailingLatitude",
        "hte_Street",
        "hte_PostalCode",
        "hte_Longitude",
        "hte_Latitude",
    ];
    if IDENTIFYING.contains(&field) {
        "delimit keeps no names, contact details, identity numbers or exact addresses"
    } else if field.starts_with("vic_TraffickingStatus") {
        "a status decided by an organisation; delimit draws its own conclusions and keeps no such decision"
    } else if field == "hte_Description" || field == "cco_CaseComment" || field.ends_with("Details")
    {
        "free text is not imported"
    } else if field == "vic_ForcedLabourIndustry" {
        "the model keeps the sector on work events, and the row does not say which work"
    } else {
        "delimit's case model has no attribute for it"
    }
}

/// The cells of one record, by column.
struct Cells<'a> {
    row: usize,
    record: &'a csv::StringRecord,
    mapped: &'a [(Col, usize, String)],
}

impl Cells<'_> {
    fn get(&self, c: Col) -> &str {
        self.mapped
            .iter()
            .find(|(x, _, _)| *x == c)
            .and_then(|(_, i, _)| self.record.get(*i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn column(&self, c: Col) -> String {
        self.mapped
            .iter()
            .find(|(x, _, _)| *x == c)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_else(|| col_name(c).into())
    }

    fn error(&self, c: Col, message: String) -> FieldError {
        FieldError {
            row: self.row,
            column: self.column(c),
            message,
        }
    }
}

fn answer<T>(v: Option<T>, refused: bool) -> Answer<T> {
    match v {
        Some(v) => Answer::Known(v),
        None if refused => Answer::Refused,
        None => Answer::Unknown,
    }
}

/// A multi-select cell: `None` when empty; an error is recorded against its column.
fn read_multi<T: Copy + PartialEq>(
    cells: &Cells<'_>,
    c: Col,
    table: &[(T, &str, &str)],
    errors: &mut Vec<FieldError>,
) -> Option<Vec<T>> {
    match parse_multi(cells.get(c), table) {
        Ok(v) if !v.is_empty() => Some(v),
        Ok(_) => None,
        Err(m) => {
            errors.push(cells.error(c, m));
            None
        }
    }
}

fn read_row(
    cells: &Cells<'_>,
    errors: &mut Vec<FieldError>,
    warnings: &mut Vec<String>,
) -> Option<Row> {
    let row = cells.row;
    let opt = |c: Col| {
        Some(cells.get(c))
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let case_id = opt(Col::CaseId);
    let (person, actor) = (opt(Col::PersonId), opt(Col::ActorId));
    let victim_cols = [
        Col::Gender,
        Col::Birthdate,
        Col::Citizenship,
        Col::MethodsOfControl,
        Col::TypeOfExploitation,
        Col::HteDate,
        Col::HteType,
        Col::HteCountry,
        Col::HteState,
        Col::EventId,
        Col::EventKind,
        Col::EventDateTo,
        Col::Refused,
    ];
    let has_victim_data = victim_cols.iter().any(|c| !cells.get(*c).is_empty());
    let is_actor = match (&person, &actor) {
        (Some(_), Some(_)) => {
            errors.push(cells.error(
                Col::ActorId,
                "a row is a person's or an actor's, not both: `dlm_PersonId` is set too".into(),
            ));
            return None;
        }
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (None, None) => !cells.get(Col::RoleInProcess).is_empty() && !has_victim_data,
    };
    let before = errors.len();
    if is_actor {
        if has_victim_data {
            warnings.push(format!(
                "row {row}: person and victim fields on an actor's row are not imported"
            ));
        }
        let roles = read_multi(cells, Col::RoleInProcess, ROLES, errors).unwrap_or_default();
        return (errors.len() == before).then(|| {
            Row::Actor(ActorRow {
                case_id,
                actor_id: actor.unwrap_or_else(|| format!("actor-row-{row}")),
                roles,
            })
        });
    }
    if !cells.get(Col::RoleInProcess).is_empty() {
        warnings.push(format!(
            "row {row}, column `{}`: not imported: a person's row with perpetrator context (delimit keeps persons and actors apart)",
            cells.column(Col::RoleInProcess)
        ));
    }

    // Which answers were refused.
    let mut refused: BTreeSet<Col> = BTreeSet::new();
    for name in split_list(cells.get(Col::Refused))
        .into_iter()
        .filter(|s| !s.is_empty())
    {
        match classify(name) {
            Header::Mapped(
                c @ (Col::Gender
                | Col::Birthdate
                | Col::Citizenship
                | Col::MethodsOfControl
                | Col::TypeOfExploitation),
            ) => {
                if cells.get(c).is_empty() {
                    refused.insert(c);
                } else {
                    errors.push(cells.error(
                        Col::Refused,
                        format!("`{name}` is said to be refused, yet it has a value"),
                    ));
                }
            }
            _ => warnings.push(format!(
                "row {row}, column `{}`: `{name}` is not a field that can be refused here; ignored",
                cells.column(Col::Refused)
            )),
        }
    }
    let nonempty = |c: Col| Some(cells.get(c)).filter(|s| !s.is_empty());
    let mut notes = Vec::new();

    let gender = nonempty(Col::Gender).and_then(|s| {
        let g = lookup(GENDERS, s);
        if g.is_none() {
            let all: Vec<&str> = GENDERS.iter().map(|(_, n, _)| *n).collect();
            errors.push(cells.error(
                Col::Gender,
                format!("`{s}` is not one of: {}", all.join(", ")),
            ));
        }
        g
    });
    let birth = nonempty(Col::Birthdate).and_then(|s| {
        if s.len() == 4
            && let Ok(y) = s.parse::<i16>()
        {
            if !crate::limits::year_within(y) {
                let (first, last) = (
                    crate::limits::EARLIEST_DATE.year(),
                    crate::limits::LATEST_DATE.year(),
                );
                errors.push(cells.error(
                    Col::Birthdate,
                    format!("`{s}` is outside the years a case may give ({first} to {last})"),
                ));
                return None;
            }
            return Some(Birth::Year(y));
        }
        parse_date(s, &mut notes)
            .map(Birth::Date)
            .map_err(|m| errors.push(cells.error(Col::Birthdate, m)))
            .ok()
    });
    let citizenship = nonempty(Col::Citizenship)
        .and_then(|s| {
            parse_countries(s)
                .map_err(|m| errors.push(cells.error(Col::Citizenship, m)))
                .ok()
        })
        .filter(|v| !v.is_empty());
    let control = read_multi(cells, Col::MethodsOfControl, CONTROLS, errors);
    let exploitation = read_multi(cells, Col::TypeOfExploitation, EXPLOITATIONS, errors);

    // The historic trafficking events, one position per event in each list.
    let lists: Vec<(Col, Vec<&str>)> = LISTS
        .iter()
        .map(|c| (*c, split_list(cells.get(*c))))
        .collect();
    let n = lists.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    if n > MAX_EVENTS
        && let Some((c, _)) = lists.iter().find(|(_, l)| l.len() == n)
    {
        errors.push(cells.error(
            *c,
            format!("{n} events, more than the {MAX_EVENTS} a case may have"),
        ));
        return None;
    }
    for (c, l) in &lists {
        if !l.is_empty() && l.len() != n {
            errors.push(cells.error(
                *c,
                format!(
                    "{} entries where another event list of this row has {n}",
                    l.len()
                ),
            ));
        }
    }
    let at = |c: Col, i: usize| -> &str {
        lists
            .iter()
            .find(|(x, _)| *x == c)
            .and_then(|(_, l)| l.get(i))
            .copied()
            .unwrap_or("")
    };
    let mut events = Vec::new();
    if errors.len() == before {
        for i in 0..n {
            let pos = i + 1;
            let entry_error = |c: Col, m: String| cells.error(c, format!("event {pos}: {m}"));
            let kind = match at(Col::EventKind, i) {
                "" => None,
                s => match parse_kind(s) {
                    Some(k) => Some(k),
                    None => {
                        errors.push(entry_error(
                            Col::EventKind,
                            format!("`{s}` is not a delimit event kind"),
                        ));
                        continue;
                    }
                },
            };
            let ty = match at(Col::HteType, i) {
                "" => None,
                s => match lookup(HTE_TYPES, s) {
                    Some(t) => Some(t),
                    None => {
                        errors.push(entry_error(
                            Col::HteType,
                            format!("`{s}` is not one of: Recruitment, Transit, Exploitation"),
                        ));
                        continue;
                    }
                },
            };
            let kind = match (kind, ty) {
                (Some(k), Some(t)) if hte_type_of(k) != Some(t) => {
                    errors.push(entry_error(
                        Col::HteType,
                        format!(
                            "`{}` contradicts the event kind `{}`",
                            at(Col::HteType, i),
                            kind_name(k)
                        ),
                    ));
                    continue;
                }
                (Some(k), _) => k,
                (None, Some(t)) => kind_of(t),
                (None, None) => {
                    warnings.push(format!(
                        "row {row}: event {pos} has no `hte_Type`; not imported"
                    ));
                    continue;
                }
            };
            let from = match at(Col::HteDate, i) {
                "" => None,
                s => {
                    let (a, b) = s.split_once('/').map_or((s, None), |(a, b)| (a, Some(b)));
                    match (
                        parse_date(a, &mut notes),
                        b.map(|b| parse_date(b, &mut notes)).transpose(),
                    ) {
                        (Ok(a), Ok(b)) => Some((a, b)),
                        (Err(m), _) | (_, Err(m)) => {
                            errors.push(entry_error(Col::HteDate, m));
                            continue;
                        }
                    }
                }
            };
            let to = match at(Col::EventDateTo, i) {
                "" => None,
                s => match parse_date(s, &mut notes) {
                    Ok(d) => Some(d),
                    Err(m) => {
                        errors.push(entry_error(Col::EventDateTo, m));
                        continue;
                    }
                },
            };
            let date = match (from, to) {
                (None, None) => When::Unknown,
                (None, Some(_)) => {
                    errors.push(entry_error(
                        Col::EventDateTo,
                        "an end date without a date in `hte_Date`".into(),
                    ));
                    continue;
                }
                (Some((a, None)), None) => When::Exact(a),
                (Some((a, Some(b))), None) | (Some((a, None)), Some(b)) => {
                    When::Range { from: a, to: b }
                }
                (Some((_, Some(_))), Some(_)) => {
                    errors.push(entry_error(
                        Col::EventDateTo,
                        "the date range is given twice".into(),
                    ));
                    continue;
                }
            };
            let place = match (at(Col::HteCountry, i), at(Col::HteState, i)) {
                ("", "") => None,
                ("", _) => {
                    warnings.push(format!("row {row}: event {pos} has `hte_State` without `hte_Country`; its place is not imported"));
                    None
                }
                (c, s) => match country_alpha2(c) {
                    Some(code) => Some(Place {
                        country: code.to_string(),
                        region: Some(s).filter(|s| !s.is_empty()).map(String::from),
                    }),
                    None => {
                        errors.push(entry_error(
                            Col::HteCountry,
                            format!("`{c}` is not an ISO 3166-1 country code or name"),
                        ));
                        continue;
                    }
                },
            };
            let id = match at(Col::EventId, i) {
                "" => format!("hte-{pos}"),
                s => s.to_string(),
            };
            events.push(Entry {
                id,
                kind,
                date,
                place,
            });
        }
    }
    warnings.extend(notes.into_iter().map(|m| format!("row {row}: {m}")));
    if errors.len() != before {
        return None;
    }
    Some(Row::Victim(VictimRow {
        case_id,
        person_id: person.unwrap_or_else(|| format!("person-row-{row}")),
        gender: answer(gender, refused.contains(&Col::Gender)),
        birth: answer(birth, refused.contains(&Col::Birthdate)),
        citizenship: answer(citizenship, refused.contains(&Col::Citizenship)),
        control: answer(control, refused.contains(&Col::MethodsOfControl)),
        exploitation: answer(exploitation, refused.contains(&Col::TypeOfExploitation)),
        events,
    }))
}

/// The field delimiter: a comma, else a tab or a semicolon when the header line holds one and
/// no comma (spreadsheets in some locales write semicolons).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains('\t') {
        b'\t'
    } else if header.contains(';') {
        b';'
    } else {
        b','
    }
}

/// Reads HTCDS rows (CSV with a header row of field names) into timeline cases: one case per
/// person's row, each with the actors' rows of the same `dlm_CaseId`.
///
/// Accepts the ODS field names and the toolkits' spellings (compared without case or
/// underscores, plus the Excel template's `vic_TraffickinStatusDecisionMakingOrg`), value
/// names or labels in any case, multi-select values separated by `;`, `; ` or (XLSForm)
/// spaces, countries as alpha-2 or alpha-3 codes or ISO names, dates as `YYYY-MM-DD` or Excel
/// serial numbers, and skips the Excel template's label row and empty rows.
///
/// Returns the cases and warnings (columns and values not imported, and why); fails with
/// every value that cannot be read, each named by row and column.
pub fn from_htcds(csv_text: &str) -> Result<(Vec<TimelineCase>, Vec<String>), ExchangeError> {
    if csv_text.len() > MAX_HTCDS_BYTES {
        return Err(ExchangeError::TooLarge(format!(
            "the file is larger than {}, the most an HTCDS file may have; split it by rows, \
             keeping the rows of one `dlm_CaseId` together",
            size(MAX_HTCDS_BYTES)
        )));
    }
    let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(h) => h?,
        None => return Err(ExchangeError::Header("the file is empty".into())),
    };
    let headers: Vec<Header> = header.iter().map(classify).collect();
    let mut mapped: Vec<(Col, usize, String)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if let Header::Mapped(c) = h {
            if let Some((_, _, first)) = mapped.iter().find(|(x, _, _)| x == c) {
                return Err(ExchangeError::Header(format!(
                    "columns `{first}` and `{}` both give `{}`",
                    header.get(i).unwrap_or(""),
                    col_name(*c)
                )));
            }
            mapped.push((*c, i, header.get(i).unwrap_or("").to_string()));
        }
    }
    if !headers
        .iter()
        .any(|h| matches!(h, Header::Mapped(_) | Header::Unmapped(_)))
    {
        return Err(ExchangeError::Header(
            "no column is an HTCDS field or a delimit column".into(),
        ));
    }
    let linked = mapped.iter().any(|(c, _, _)| *c == Col::CaseId);
    let labels: BTreeSet<String> = HTCDS_FIELDS.iter().map(|(_, l)| norm(l)).collect();

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut unread: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut actors: HashMap<Option<String>, usize> = HashMap::new();
    for (index, record) in records.enumerate() {
        let record = record?;
        let row = index + 2;
        if record.as_slice().len() > MAX_HTCDS_ROW_BYTES {
            return Err(ExchangeError::TooLarge(format!(
                "row {row} is larger than {}, the most an HTCDS row may have",
                size(MAX_HTCDS_ROW_BYTES)
            )));
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let known: Vec<&str> = record
            .iter()
            .zip(&headers)
            .filter(|(c, h)| {
                !c.trim().is_empty() && matches!(h, Header::Mapped(_) | Header::Unmapped(_))
            })
            .map(|(c, _)| c)
            .collect();
        if known.len() >= 2 && known.iter().all(|c| labels.contains(&norm(c))) {
            warnings.push(format!(
                "row {row}: holds field labels (as the Excel template's row 2 does); skipped"
            ));
            continue;
        }
        for (i, cell) in record.iter().enumerate() {
            let unmapped = !matches!(headers.get(i), Some(Header::Mapped(_) | Header::Blank));
            if headers.get(i) == Some(&Header::Unmapped("vic_ForcedLabourIndustry"))
                && !cell.trim().is_empty()
            {
                let name = header.get(i).unwrap_or("");
                warnings.push(match parse_multi(cell, INDUSTRIES) {
                    Ok(sections) => {
                        let letters: Vec<String> = sections.iter().map(char::to_string).collect();
                        format!(
                            "row {row}, column `{name}`: ISIC section(s) {} read, not imported: {}",
                            letters.join(", "),
                            unmapped_reason("vic_ForcedLabourIndustry")
                        )
                    }
                    Err(m) => format!("row {row}, column `{name}`: {m}; not imported"),
                });
            } else if unmapped && !cell.trim().is_empty() {
                match unread.iter_mut().find(|(c, _)| *c == i) {
                    Some((_, rs)) => rs.push(row),
                    None => unread.push((i, vec![row])),
                }
            }
        }
        let cells = Cells {
            row,
            record: &record,
            mapped: &mapped,
        };
        if let Some(r) = read_row(&cells, &mut errors, &mut warnings) {
            // Each person's case takes every actor of its `dlm_CaseId`.
            if let Row::Actor(a) = &r
                && linked
            {
                let n = actors.entry(a.case_id.clone()).or_default();
                *n += 1;
                if *n == MAX_ACTORS + 1 {
                    errors.push(cells.error(
                        Col::CaseId,
                        format!(
                            "more than {MAX_ACTORS} actors in one case, the most a case may have"
                        ),
                    ));
                }
            }
            rows.push((row, r));
        }
    }
    if !errors.is_empty() {
        return Err(ExchangeError::Invalid(errors));
    }
    for (i, rs) in unread {
        let list = rs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let message = match (headers.get(i), header.get(i)) {
            (Some(Header::Unmapped(f)), Some(name)) => format!(
                "column `{name}` (rows {list}): not imported: {}",
                unmapped_reason(f)
            ),
            (_, Some(name)) => {
                format!("column `{name}` (rows {list}): not an HTCDS field; ignored")
            }
            (_, None) => format!("values beyond the last named column (rows {list}); ignored"),
        };
        warnings.push(message);
    }
    let cases = assemble(rows, linked, &mut warnings);
    Ok((cases, warnings))
}

// ---------------------------------------------------------------------------------------
// CTDC

/// The 27 columns of the CTDC Global Synthetic Dataset, 2024 release (codebook "Version 2 –
/// February 2024"), in the codebook's order and with the spellings of the published CSV
/// (`meansWithholdDocs`, not the codebook's `meansWithholdDocuments`). Flags are `1` or empty:
/// CTDC has no `0`, and empty means "missing or not observed". The older k-anonymised release
/// (2019–2021: `meansOfControl*`, `majorityStatus`, ISO-2 citizenship, 0/1/-99) is a different
/// schema and is not written.
pub const CTDC_COLUMNS: [&str; 27] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
];

/// The CTDC 2024 column names, in order (see [`CTDC_COLUMNS`]).
pub fn ctdc_columns() -> &'static [&'static str] {
    &CTDC_COLUMNS
}

/// The CTDC 2024 `means*` column a means of control counts towards (codebook App. II merges
/// the older flags; `Other` was dropped).
pub fn ctdc_means_column(c: Control) -> Option<&'static str> {
    match c {
        Control::DebtBondage | Control::TakesEarnings => Some("meansDebtBondageEarnings"),
        Control::PhysicalThreats
        | Control::ThreatsLawEnforcement
        | Control::ThreatensChildrenFamily => Some("meansThreats"),
        Control::PsychologicalAbuse | Control::PhysicalAbuse | Control::SexualAbuse => {
            Some("meansAbusePsyPhySex")
        }
        Control::FalsePromises => Some("meansFalsePromises"),
        Control::PsychoactiveSubstance => Some("meansDrugsAlcohol"),
        Control::RestrictsFinancialAccess
        | Control::RestrictsMedicalCare
        | Control::WithholdsNecessities => Some("meansDenyBasicNeeds"),
        Control::ExcessiveWorkingHours => Some("meansExcessiveWorkHours"),
        Control::WithholdsDocuments => Some("meansWithholdDocs"),
        Control::Other => None,
    }
}

/// The CTDC 2024 `is*` column a type of exploitation counts towards. Forced begging counts as
/// forced labour (the older release listed begging as a type of labour); what 2024 folded
/// into "other" (forced marriage, organ removal, slavery and practices) goes there, with the
/// types CTDC never had a flag for.
pub fn ctdc_exploitation_column(x: Exploitation) -> &'static str {
    match x {
        Exploitation::ForcedLabour | Exploitation::ForcedBegging => "isForcedLabour",
        Exploitation::SexualExploitation => "isSexualExploit",
        _ => "isOtherExploit",
    }
}

/// The CTDC `ageBroad` band of an age in whole years.
pub fn ctdc_age_band(age: u32) -> &'static str {
    match age {
        0..=8 => "0--8",
        9..=17 => "09--17",
        18..=20 => "18--20",
        21..=23 => "21--23",
        24..=26 => "24--26",
        27..=29 => "27--29",
        30..=38 => "30--38",
        39..=47 => "39--47",
        _ => "48+",
    }
}

/// Whole years from `born` to `on`, or `None` before birth.
fn age_on(born: Date, on: Date) -> Option<u32> {
    let mut years = i32::from(on.year()) - i32::from(born.year());
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The earliest and latest day a person can have been born.
fn birth_bounds(b: &Birth) -> Option<(Date, Date)> {
    match b {
        Birth::Date(d) => Some((*d, *d)),
        Birth::Year(y) => Some((Date::new(*y, 1, 1).ok()?, Date::new(*y, 12, 31).ok()?)),
        Birth::Age { years, on } => {
            let latest = on
                .checked_sub(jiff::Span::new().years(i64::from(*years)))
                .ok()?;
            let earliest = on
                .checked_sub(jiff::Span::new().years(i64::from(*years) + 1))
                .ok()?
                .tomorrow()
                .ok()?;
            Some((earliest, latest))
        }
    }
}

/// The days the person's first identification can fall on: every identification event dated,
/// the earliest of them lying between these two days.
fn identification_bounds(case: &TimelineCase, person: &str) -> Option<(Date, Date)> {
    let ids: Vec<&Event> = case
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Identification && concerns(e, person))
        .collect();
    if ids.is_empty() || ids.iter().any(|e| e.date == When::Unknown) {
        return None;
    }
    Some((
        ids.iter().filter_map(|e| e.date.earliest()).min()?,
        ids.iter().filter_map(|e| e.date.latest()).min()?,
    ))
}

/// One CTDC 2024 row for a person of the case, aligned with [`ctdc_columns`]; a value is
/// given only when the timeline settles it, otherwise the cell stays empty (CTDC's NULL):
///
/// - `yearOfRegistration`: the year of the person's earliest identification event;
/// - `gender`: Masculine `Man`, Feminine `Woman`, transgender and non-conforming
///   `Trans/Transgender/NonConforming`;
/// - `ageBroad`: the band of the age at the earliest identification (CTDC's reference),
///   when every birth date and identification date the case allows falls in one band;
/// - `citizenship`: the alpha-3 code of a single citizenship;
/// - `CountryOfExploitation`: alpha-3, when every exploitation event of the person is placed
///   in one country;
/// - `means*`, `is*`: `1` for the means of control and types of exploitation recorded on the
///   person's control and exploitation events.
///
/// `traffickMonths`, `typeOfLabour*`, `typeOfSex*` and `recruiterRelation*` stay empty: the
/// model does not say them in CTDC's terms (see `docs/htcds-mapping.md`).
pub fn to_ctdc_row(case: &TimelineCase, person_id: &str) -> Result<Vec<String>, ExchangeError> {
    let person = case
        .persons
        .iter()
        .find(|p| p.id == person_id)
        .ok_or_else(|| {
            ExchangeError::Unexportable(format!("no person `{person_id}` in the case"))
        })?;
    let mut row = vec![String::new(); CTDC_COLUMNS.len()];
    let mut put = |col: &str, v: String| {
        if let Some(i) = CTDC_COLUMNS.iter().position(|c| *c == col) {
            row[i] = v;
        }
    };
    let identified = identification_bounds(case, person_id);
    if let Some((a, b)) = identified
        && a.year() == b.year()
    {
        put("yearOfRegistration", a.year().to_string());
    }
    if let Answer::Known(g) = person.gender {
        let v = match g {
            Gender::Masculine => "Man",
            Gender::Feminine => "Woman",
            Gender::TransgenderFeminine | Gender::TransgenderMasculine | Gender::NonConforming => {
                "Trans/Transgender/NonConforming"
            }
            Gender::NonSpecifiedUnknown => "",
        };
        put("gender", v.to_string());
    }
    if let (Answer::Known(b), Some((first, last))) = (&person.birth, identified)
        && let Some((born_early, born_late)) = birth_bounds(b)
        && let (Some(young), Some(old)) = (age_on(born_late, first), age_on(born_early, last))
        && ctdc_age_band(young) == ctdc_age_band(old)
    {
        put("ageBroad", ctdc_age_band(young).to_string());
    }
    if let Answer::Known(cs) = &person.citizenships
        && person.stateless != Answer::Known(true)
        && let [only] = cs.as_slice()
        && let Ok(c) = CountryCode::for_alpha2(only)
    {
        put("citizenship", c.alpha3().to_string());
    }
    let mine = |k: EventKind| {
        case.events
            .iter()
            .filter(move |e| e.kind == k && concerns(e, person_id))
    };
    let exploitations: Vec<&Event> = mine(EventKind::Exploitation).collect();
    let countries: BTreeSet<Option<&str>> = exploitations
        .iter()
        .map(|e| e.place.as_ref().map(|p| p.country.as_str()))
        .collect();
    if let [Some(only)] = countries.iter().copied().collect::<Vec<_>>().as_slice()
        && let Ok(c) = CountryCode::for_alpha2(only)
    {
        put("CountryOfExploitation", c.alpha3().to_string());
    }
    for e in mine(EventKind::Control) {
        if let Answer::Known(cs) = &e.control {
            cs.iter()
                .filter_map(|c| ctdc_means_column(*c))
                .for_each(|col| put(col, "1".into()));
        }
    }
    for e in &exploitations {
        if let Answer::Known(xs) = &e.exploitation {
            xs.iter()
                .for_each(|x| put(ctdc_exploitation_column(*x), "1".into()));
        }
    }
    Ok(row)
}

/// A CTDC 2024 CSV: the header, then one row per person of every case (see [`to_ctdc_row`]).
/// Statistics drawn from it must still respect CTDC's minimum cell size; this function only
/// writes rows.
pub fn to_ctdc(cases: &[TimelineCase]) -> Result<String, ExchangeError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CTDC_COLUMNS)?;
    for case in cases {
        for p in &case.persons {
            w.write_record(to_ctdc_row(case, &p.id)?)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| ExchangeError::Csv {
        row: None,
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| ExchangeError::Csv {
        row: None,
        message: e.to_string(),
    })
}
