# The guided interview, in English.
#
# Each message is one paragraph on one line: the front end wraps it to the screen.
# The words under "Answers" and "Commands" are also what a person may type.
# Arguments are described above the messages that take them; numbers choose plural forms.

## Consent

consent-title = Before we begin
consent-purpose = This interview is to understand your situation and what protection the law gives you. Your answers are confidential and are used only for that purpose.
consent-rights = You may skip any question, answer “{ answer-dont-know }” or “{ answer-prefer-not }”, go back to an earlier question, or stop at any time. If you stop, what you have already said is kept.
consent-question = Do you agree to continue?
consent-declined = The interview ends here. Nothing has been recorded.

## Section headings

topic-identity = About you
topic-migration = Your journey
topic-work = Work and living conditions
topic-control = Control and pressure
topic-sensitive = Sensitive matters

## Asking

# $asked (number): the number of this question; $left (number): at most how many may follow.
prompt-progress = Question { $asked }; { $left ->
    [0] this is the last one.
    [one] at most one more.
   *[other] at most about { $left } more.
}
answer-hint-yesno = { answer-yes } / { answer-no } / { answer-dont-know } / { answer-prefer-not }
answer-hint-choice = the number of an option
answer-hint-several = numbers separated by commas, or “{ answer-none }”; or option by option, such as “1: { answer-yes }, 3: { answer-no }”, leaving the others open
answer-hint-date = a date as YYYY-MM-DD (for example 2024-03-15)
answer-hint-number = a number
answer-commands = Type “{ command-back }” to change the previous answer, “{ command-why }” to see why this is asked, “{ command-stop }” to end.

## Answers (shown and typed)

answer-dont-know = don't know
answer-prefer-not = prefer not to say
answer-yes = yes
answer-no = no
answer-none = none

## Commands (typed)

command-back = back
command-why = why
command-stop = stop

## Why a question is asked

why-title = Why are you asking this?
# $conclusions (text): the conclusions the answer helps to decide, already listed.
why-serves = This question helps to decide: { $conclusions }
# $provisions (text): the provisions the question rests on, already listed.
why-provisions = It rests on: { $provisions }
# $indicators (text): the indicators the answer bears on, already listed.
why-indicators = It is also an indicator of: { $indicators }
# $indicator (text): the indicator's label; $list (text): its list; $status (text): how sure its source is.
why-indicator-only = This question is an indicator of the screening list { $list } ({ $indicator }; source status: { $status }). It serves the indicative screening, not the legal qualification.

## Errors in answers

error-yesno = Please answer “{ answer-yes }” or “{ answer-no }”, “{ answer-dont-know }” or “{ answer-prefer-not }”.
# $value (text): what the person typed.
error-date = Not a date: { $value }. Please write it as YYYY-MM-DD.
# $value (text): the date the person gave.
error-date-future = The date { $value } is in the future.
# $value (text): what the person typed.
error-number = Not a number: { $value }.
# $value (number or text): the age the person gave.
error-age = An age of { $value } is not possible.
# $value (text): what the person typed; $count (number): how many options there are.
error-option = There is no option { $value }. { $count ->
    [0] There are no options to choose from.
    [1] The only option is 1.
   *[other] Choose a number from 1 to { $count }.
}
# $value (text): what the person typed.
error-country = Unknown country code: { $value }.
# $line (number): the line in the answers file; $question (text): the question's text;
# $reason (text): what is wrong, already localised.
error-script-line = Line { $line } of the answers file does not fit the question “{ $question }”: { $reason }

## What is known so far

panel-title = What we know so far
panel-established = Established
panel-indicated = Indicated, not a legal finding
panel-open = Still open
panel-none = nothing yet
panel-reading-positive = the answers fit the indicators' pattern of a victim of trafficking
panel-reading-negative = the answers do not fit the indicators' pattern
panel-reading-open = the indicators' reading is still open
# $dimensions (text): the positive dimensions, already listed.
panel-dimensions = positive dimensions: { $dimensions }
profile-title = Indicators present, by dimension (indicative, not a legal finding):
profile-positive = positive
profile-negative = not positive
profile-open = open
# $indicator (text): the indicator's name; $conclusion (text): the law's conclusion that marked it present.
indicator-established = { $indicator } (from the law's answers: { $conclusion }; this link is delimit's reading, not the list's)

## End of the interview

done-nothing-more = No further answer can change any conclusion: the interview is complete.
done-stopped = The interview was stopped. What was said is kept.
# $path (text): where the answers were saved.
done-saved = Saved to { $path }.
# $asked (number): questions asked; $total (number): questions in the full questionnaire.
done-summary = Questions asked: { $asked } of { $total } in the full questionnaire.
