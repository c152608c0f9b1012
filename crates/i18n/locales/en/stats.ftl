# The statistics dashboard: the registry's k-anonymised figures as charts, tables and CSV.
# Numbers ($k, $count, $shown, $hidden, $from, $to) choose plural forms; the other arguments
# are already written in the page's language.

stats-title = Statistics
# $dimension: the name of the dimension counted.
stats-title-dimension = Statistics: { $dimension }
stats-lead = Counts of the persons in the registry, one dimension at a time, taken from coded values only, never from free text. Every published figure counts at least { $k ->
    [one] one person.
   *[other] { $k } persons.
}

## The form

stats-form-label = Choose the figures
stats-field-dimension = Count persons by
stats-field-overview = every dimension (overview)
stats-field-within = Only persons where
stats-field-everyone = no restriction: everyone counted
stats-field-value = has the value
stats-field-value-hint = A year such as 2023, a three-letter country code such as TJK, or a value from a table. The “Break down” links of the tables fill in these fields for you.
stats-submit = Show

## Refusals, beside the field they concern

stats-error-query = This address cannot be read. Choose the figures again.
# $value: what was typed.
stats-error-dimension = “{ $value }” is not a dimension. Choose one from the list.
stats-error-within-same = Persons counted by a dimension cannot be restricted by the same one. Choose another.
stats-error-within-missing = Choose the dimension this value belongs to.
stats-error-value-missing = Give a value of this dimension, or choose no restriction above.
# $value: what was typed; $hint: one of the stats-hint- messages.
stats-error-value-form = “{ $value }” is not written as a value of this dimension. { $hint }
stats-error-value-unknown = “{ $value }” is not one of the values of this dimension. Choose one from the list.
stats-error-csv-dimension = A table for download needs a dimension.
stats-hint-year = A year has four digits, for example 2023.
stats-hint-country = A country is written as its three-letter code, for example TJK.
stats-hint-flag = Such a value is a single word in Latin letters, as the tables of this dimension list them.
stats-hint-code = Use only letters, digits, spaces and the signs _ - + / : .

## Dimensions

stats-dimension-year = Year of registration
stats-dimension-gender = Gender
stats-dimension-age = Age at identification
stats-dimension-citizenship = Citizenship
stats-dimension-country-of-exploitation = Country of exploitation
stats-dimension-exploitation = Type of exploitation
stats-dimension-means-of-control = Means of control
stats-dimension-qualification = Qualification
stats-dimension-stage = Qualification by stage of the journey

## Values (the CTDC's coded values)

stats-value-gender-man = Man
stats-value-gender-woman = Woman
stats-value-gender-trans-transgender-non-conforming = Trans, transgender or gender non-conforming
# The value of the persons for whom a case records none (CTDC leaves the column empty).
stats-value-not-recorded = Not recorded
stats-value-exploitation-is-forced-labour = Forced labour, begging included
stats-value-exploitation-is-sexual-exploit = Sexual exploitation
stats-value-exploitation-is-other-exploit = Other exploitation
stats-value-means-of-control-means-debt-bondage-earnings = Debt bondage or earnings taken
stats-value-means-of-control-means-threats = Threats
stats-value-means-of-control-means-abuse-psy-phy-sex = Psychological, physical or sexual abuse
stats-value-means-of-control-means-false-promises = False promises
stats-value-means-of-control-means-drugs-alcohol = Drugs or alcohol
stats-value-means-of-control-means-deny-basic-needs = Basic needs denied
stats-value-means-of-control-means-excessive-work-hours = Excessive working hours
stats-value-means-of-control-means-withhold-docs = Documents withheld
# An age band of the CTDC: $from and $to are ages in whole years.
stats-age-range = { $from }–{ $to } { $to ->
    [one] year
   *[other] years
}
stats-age-from = { $from } years and older
stats-stage-recruitment = recruitment
stats-stage-transit = transit
stats-stage-destination = destination
stats-stage-exit-or-return = exit or return

## One table

# $dimension: the name of the dimension counted.
stats-caption = { $dimension }: number of persons
# $within: the name of the restricting dimension; $value: its value, in words.
stats-caption-within = { $dimension }: number of persons where { $within } is “{ $value }”
stats-within = Only the persons where { $within } is “{ $value }” are counted.
stats-within-everyone = Count everyone
stats-column-persons = Persons
stats-column-iccs = ICCS code
stats-column-breakdown = Break down
stats-breakdown = Break down
stats-breakdown-label = Break down the persons where { $dimension } is “{ $value }” by every other dimension
stats-total = Total, each person counted once
stats-suppressed = suppressed
stats-total-counted = { $count ->
    [0] No person is counted.
    [one] One person is counted.
   *[other] { $count } persons are counted.
}
stats-total-suppressed = The total is suppressed: it would count fewer than { $k ->
    [one] one person.
   *[other] { $k } persons.
}
stats-csv = Download as CSV
stats-csv-label = Download the table “{ $dimension }” as CSV
stats-figures = The figures as a table
stats-back = Back to the overview
stats-chart-shown = { $shown ->
    [0] No value has a published count.
    [one] One value has a published count.
   *[other] { $shown } values have a published count.
}
stats-chart-hidden = { $hidden ->
    [0] None is suppressed.
    [one] One value is suppressed.
   *[other] { $hidden } values are suppressed.
}
# $label: a value, in words; $count: its count.
stats-chart-largest = The largest is “{ $label }”, with { $count ->
    [one] one person.
   *[other] { $count } persons.
}
stats-chart-table = Every figure is in the table under the chart.

## When nothing is counted

stats-empty = The registry counts no one yet. Figures appear here once cases are recorded, and qualifications and stages once the cases have been assessed.
stats-empty-dimension = No person is counted by “{ $dimension }” yet: figures appear once cases with this information are recorded, and qualifications and stages once the cases have been assessed.
stats-empty-within = No one is counted where { $within } is “{ $value }”. Check the value, or take one from a table of the overview.
stats-empty-table = No person is counted here yet.

## Reading the figures, and the rules they follow

stats-notes-title = Reading the figures
stats-note-suppressed = “Suppressed” marks a cell of fewer than { $k ->
    [one] one person,
   *[other] { $k } persons,
} or a cell hidden with it so that it cannot be worked out from the total, or from several tables put together. Its count is never shown: not in the chart, the table or the CSV file.
stats-note-several = A person can count under several values of one dimension (types of exploitation, means of control, qualifications, stages); the total counts each person once, those with none of these values too.
stats-note-countries = Countries are written as their three-letter ISO 3166 codes.
stats-note-age = Ages are the ages at identification, in the bands of the CTDC.
stats-policy-title = How the figures are protected
stats-policy-k = The minimum cell size is k = { $k }: no published figure counts fewer persons. The registry sets it; a reader cannot lower it.
# $source: the source of a rule, as the policy data cites it; $status: how far it was checked.
stats-policy-source = Source: { $source } ({ $status }).
stats-iccs-caption = Qualifications counted with a crime code of the International Classification of Crime for Statistical Purposes (ICCS)
stats-iccs-concept = Qualification
stats-iccs-code = ICCS code
stats-iccs-label = ICCS category
stats-status-verified = verified against the official text
stats-status-secondary = taken from a secondary source
stats-status-seed = taken from the seed article, not yet checked
stats-status-recalled = recalled from memory, to be checked
stats-status-unverified = not verified
