# The web application's common words: layout, errors, first run, signing in, users.

nav-skip = Skip to the content
nav-label = Main
nav-language = Language
nav-interview = Interview
nav-cases = Cases
nav-law = Law
nav-statistics = Statistics
nav-users = Users
nav-sign-out = Sign out
language-en = English
language-ru = Русский
language-tg = Тоҷикӣ
footer-law-version = Law version { $version }
footer-statuses = Each provision shows its status: verified against the official text, seed (from the article this tool follows), recalled or unverified.

role-administrator = administrator
role-caseworker = caseworker
role-investigator = investigator
role-analyst = analyst

status-verified = verified
status-seed = seed
status-recalled = recalled
status-unverified = unverified
status-verified-help = Checked against the official text.
status-seed-help = Taken from the seed article; not yet checked against the official text.
status-recalled-help = Recalled from memory of the source; it must be checked before it is relied on.
status-unverified-help = Not verified: treat it as a lead, not as the law.

tri-yes = yes
tri-no = no
tri-open = undetermined

error-home = Back to the start page
error-forbidden = Your role does not allow this.
error-csrf = This form has expired. Go back, reload the page and send it again.
error-invalid = What was sent cannot be used.
error-not-found = Nothing here.
error-conflict = Someone changed this in the meantime. Reload the page and try again.
error-storage = Something went wrong on the server. Nothing was lost; try again.
error-language = This language is not offered.
error-username = A username has 1 to 64 letters, digits, dots, dashes, underscores or @.
error-username-taken = This username is taken.
error-password = A password has at least { $min } characters.
error-organisation = Give the organisation's name.
error-role = Choose a role from the list.
error-sign-in = The username or the password is wrong.
error-sign-in-held = Too many failed attempts for this name. Try again in { $seconds } seconds.

home-title = Irregular migration, smuggling or trafficking?
home-lead = delimit qualifies a case element by element under international and Tajik law, says which provisions it rests on and which facts would settle what is still open.
home-interview = A guided interview: consent first, then the questions that decide most.
home-cases = Cases told as journeys, their findings, explanations and reports.
home-law = The instruments, provisions, concepts and doctrines behind every finding.
home-statistics = k-anonymised figures of the registry, as charts and CSV.
home-caution = A finding here is an aid to a decision, not the decision: check the provisions it cites, especially those not verified.

setup-title = First run: create the administrator
setup-lead = No one uses this registry yet. The first account administers it: it creates the other users of its organisation.
setup-default-organisation = Main office
setup-submit = Create the administrator
field-organisation = Organisation
field-username = Username
field-password = Password
field-password-hint = At least { $min } characters.
field-role = Role

sign-in-title = Sign in
sign-in-expired = Your session has ended. Sign in again to go on where you were; nothing you entered was lost.
sign-in-submit = Sign in

users-title = Users
users-caption = Users of { $organisation }
users-created = Created
users-add = Add a user
users-added = { $username } can now sign in.
users-submit = Add the user
