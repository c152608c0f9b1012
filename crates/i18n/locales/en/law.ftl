# The law browser: instruments, provisions, concepts, doctrines, terminology and sources.

law-title = The law
law-lead = The instruments, provisions, concepts and doctrines delimit applies, each with how sure we are of its text and where it is used.
law-version = Version of the law (a fingerprint of its source files):
law-sections = Parts of the law
law-breadcrumbs = You are here
law-identifier = Identifier
law-source = Source
law-note = Note
law-written-in = Written in
law-refers-to = Refers to
law-date-unknown = not recorded
law-article = article { $article }

law-statuses-title = How sure we are of each text
law-statuses-lead = Every provision and every source carries a status. Rely on a finding only as far as the status of the provisions it rests on allows: anything not verified must be checked before it is relied on.
law-statuses-caption = The statuses, with the number of provisions and sources that have each
law-status-verified = verified
law-status-secondary = secondary source
law-status-seed = seed
law-status-recalled = recalled
law-status-unverified = unverified
law-status-verified-help = Read in an official or authentic text (an official journal or treaty series, the organisation's own publication, an official legal database), named as the source.
law-status-secondary-help = Read in a reliable copy or summary, named as the source; the official text was not read.
law-status-seed-help = Stated by the seed article this tool starts from, and not found elsewhere.
law-status-recalled-help = Known from memory or from reports that do not give the words; it must be checked against the official text before it is relied on.
law-status-unverified-help = Claimed somewhere, and could not be found. Treat it as a lead, not as the law.

law-column-status = Status
law-column-meaning = What it means
law-column-provisions = Provisions
law-column-sources = Sources
law-column-instrument = Instrument
law-column-kind = Kind
law-column-adopted = Adopted
law-column-in-force = In force
law-column-concept = Concept
law-column-name = Name in the rules
law-column-kinds = What it says
law-column-rules = Rules of the law in force
law-column-readings = Rules under doctrines or reforms

law-instruments-title = Instruments
law-instruments-caption = { $count ->
    [one] One instrument
   *[other] { $count } instruments
}
law-jurisdiction = { $jurisdiction ->
    [international] International law
    [tajikistan] Law of Tajikistan
    [russia] Law of the Russian Federation
    [doctrine] Doctrine, reports and glossaries
   *[other] Other sources of law ({ $jurisdiction })
}
law-instrument-kind = { $kind ->
    [treaty] treaty
    [code] code
    [statute] statute
    [government-decree] government decree
    [scholarship] scholarship
    [report] report
    [case-law] case law
    [glossary] glossary
    [guidelines] guidelines
   *[other] other instrument ({ $kind })
}

law-period-between = from { $start } to { $end }
law-period-from = from { $start }
law-period-until = until { $end }
law-period-unknown = dates not recorded

law-counts-title = What the knowledge base holds
law-counts-caption = Entries of the knowledge base, by kind
law-count-instruments = Instruments
law-count-provisions = Provisions
law-count-sources = Sources in the bibliography
law-count-facts = Facts a case can give
law-count-concepts = Concepts
law-count-rules = Rules and exceptions
law-count-doctrines = Doctrines and reforms
law-count-terms = Terms

law-provisions-title = { $count ->
    [one] One provision
   *[other] { $count } provisions
}
law-provisions-none = No provision of this instrument is part of the knowledge base.
law-text-title = Text
law-text-absent = The text of this provision has not been read.
law-text-paraphrase = A paraphrase, not the words of the instrument.

law-used-title = Where it is used
law-used-nothing = No rule, doctrine or term rests on this provision.
law-used-concepts = Concepts decided under it
law-used-facts = Facts those rules read
law-used-rules = { $count ->
    [one] The rule that cites it
   *[other] { $count } rules that cite it
}
law-used-doctrines = Doctrines and reforms attributed to it
law-used-terms = Terms it defines or relates
law-used-referred-by = Provisions that refer to it
law-term-role-defines = defines the term
law-term-role-synonyms = treats it as a synonym of others
law-term-role-distinct = gives it a meaning distinct from others

law-rule = Rule { $id }
law-rule-exception = Exception { $id } to rule { $parent }
law-rule-decides = Decides
law-rule-holds-when = Holds when
law-rule-when = When
law-rule-value = Then it is
law-rule-applies = Applies
law-rule-only-under = Only under
law-rule-over = Takes priority over
law-rule-cites = Rests on

law-expr-yes = yes
law-expr-no = no
law-expr-undetermined = undetermined: the text that would decide was not read
law-expr-fact-yes = { $fact } — yes
law-expr-fact-no = { $fact } — no
law-expr-not-concept = does not hold:
law-expr-not = none of the following:
law-expr-all = all of the following:
law-expr-any = at least one of the following:
law-expr-at-least = { $count ->
    [one] at least one of the following:
   *[other] at least { $count } of the following:
}
law-expr-is = { $fact } — the answer is “{ $options }”
law-expr-has = { $fact } — includes “{ $options }”
law-expr-is-one-of = { $fact } — one of: { $options }
law-expr-has-any = { $fact } — includes at least one of: { $options }
law-expr-as-of = the date of the assessment
law-expr-answer-to = the answer to “{ $question }”
law-expr-age = the age in whole years from { $left } to { $right }
law-expr-plus = { $left } plus { $right }
law-expr-minus = { $left } minus { $right }
law-expr-less = { $left } is less than { $right }
law-expr-at-most = { $left } is at most { $right }
law-expr-more = { $left } is more than { $right }
law-expr-at-least-value = { $left } is at least { $right }
law-expr-equal = { $left } is { $right }
law-expr-not-equal = { $left } is not { $right }

law-concepts-title = Concepts
law-concepts-lead = What the engine decides for a case: the status of a person, the offences of those involved, the consequences for the person, and the elements these are built from.
law-concepts-caption = { $count ->
    [one] One concept
   *[other] { $count } concepts
}
law-kind-element = element
law-kind-status = status
law-kind-offence = offence
law-kind-consequence = consequence
law-kinds-status = Statuses of a person
law-kinds-status-help = What the person is in law: an irregular migrant, a smuggled migrant, a victim of trafficking.
law-kinds-offence = Offences
law-kinds-offence-help = What those who acted against the person may be prosecuted for.
law-kinds-consequence = Consequences for the person
law-kinds-consequence-help = What follows for the person: protection, non-punishment, rights.
law-kinds-element = Elements
law-kinds-element-help = The parts that statuses, offences and consequences are built from.
law-concept-named-by = Named in the terminology:
law-concept-rules = { $count ->
    [0] No rule of the law in force decides it
    [one] The rule of the law in force that decides it
   *[other] { $count } rules of the law in force that decide it
}
law-concept-no-rules = It is decided only under the doctrines and reforms below.
law-concept-readings = Under doctrines and reforms
law-concept-readings-lead = These rules apply only when an assessment is asked to follow the doctrine or reform they belong to.
law-concept-provisions = Provisions it rests on
law-concept-used-in = Concepts whose rules read it

law-doctrines-title = Doctrines and reforms
law-doctrines-lead = Readings of the law by scholars, courts and institutions, and proposals to change it. Their rules apply only when an assessment is asked to follow them.
law-doctrines-none = The knowledge base holds no doctrine or reform.
law-doctrine = doctrine
law-reform = reform
law-reform-help = A reform is a proposal, not law in force.
law-doctrine-held-by = Held by
law-doctrine-changes = What it changes
law-doctrine-no-rules = No rule follows this reading yet.

law-terms-title = Terminology
law-terms-lead = The words sources use for the same or neighbouring things, who defines them, and who treats them as synonyms or not.
law-terms-none = The knowledge base holds no terms.
law-term-forms = The term in each language
law-term-defined-by = Defined by
law-term-synonyms = Synonyms
law-term-synonyms-per = Treated as synonyms by
law-term-distinct-per = Given distinct meanings by
law-term-concept = Decided by the engine as

law-sources-title = Bibliography
law-sources-lead = The works that provisions and doctrines refer to, each with its status.
law-sources-none = The bibliography is empty.
law-source-provisions = { $count ->
    [one] One provision refers to it
   *[other] { $count } provisions refer to it
}
law-source-doctrines = Doctrines and reforms attributed to it:
law-language-en = English
law-language-ru = Russian
law-language-tg = Tajik
law-language-fr = French
law-language-es = Spanish
law-language-de = German
law-language-it = Italian
law-translation-note = delimit's English rendering of the text above: a translation for reading, not an official text.
law-text-language = Language of the text quoted: { $language }.
law-verified-share = { $percent }% of the provisions cited were read in an official text. An instrument's status below is the weakest of its own (title and dates) and its provisions'.
law-basis-caption = Rules by the best text they rest on: a rule under recalled or unverified rests on no text that was read, and its conclusions carry a warning
law-column-rule-count = Rules
law-column-verified = Verified
law-own-status = Title and dates:
