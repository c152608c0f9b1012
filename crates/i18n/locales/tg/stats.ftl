# Лавҳаи омор: рақамҳои k-беномкардаи феҳрист дар шакли диаграмма, ҷадвал ва CSV.
# Рақамҳо ($k, $count, $shown, $hidden, $from, $to) шакли шумораро интихоб мекунанд;
# дигар аргументҳо аллакай бо забони саҳифа навишта шудаанд.

stats-title = Омор
stats-title-dimension = Омор: { $dimension }
stats-lead = Шумораи шахсони дар феҳрист буда, ҳар дафъа аз рӯи як аломат, танҳо аз арзишҳои рамзгузоришуда ва ҳеҷ гоҳ аз матни озод. Ҳар рақами нашршуда на камтар аз { $k } нафарро дар бар мегирад.

## Шакл

stats-form-label = Интихоби рақамҳо
stats-field-dimension = Шахсонро аз рӯи ин аломат шумурдан
stats-field-overview = ҳамаи аломатҳо (шарҳи умумӣ)
stats-field-within = Танҳо шахсоне, ки аломати
stats-field-everyone = бе маҳдудият: ҳамаи шахсони ба ҳисоб гирифташуда
stats-field-value = арзиши зеринро дорад
stats-field-value-hint = Сол, масалан 2023, рамзи сеҳарфаи кишвар ё арзише аз ҷадвал. Истинодҳои «Тақсим кардан» дар ҷадвалҳо ин майдонҳоро барои шумо пур мекунанд.
stats-submit = Нишон додан

## Радҳо, дар назди майдоне, ки ба он дахл доранд

stats-error-query = Ин суроғаро хондан ғайриимкон аст. Рақамҳоро аз нав интихоб кунед.
stats-error-dimension = «{ $value }» аломат нест. Аломатро аз рӯйхат интихоб кунед.
stats-error-within-same = Шахсоне, ки аз рӯи як аломат шумурда мешаванд, бо ҳамон аломат маҳдуд карда намешаванд. Аломати дигарро интихоб кунед.
stats-error-within-missing = Аломатеро интихоб кунед, ки ин арзиш ба он тааллуқ дорад.
stats-error-value-missing = Арзиши ин аломатро нишон диҳед ё дар боло «бе маҳдудият»-ро интихоб кунед.
stats-error-value-form = «{ $value }» ба тарзи арзишҳои ин аломат навишта нашудааст. { $hint }
stats-error-value-unknown = «{ $value }» аз ҷумлаи арзишҳои ин аломат нест. Арзишро аз рӯйхат интихоб кунед.
stats-error-csv-dimension = Барои боргирии ҷадвал аломатро нишон додан лозим аст.
stats-hint-year = Сол бо чор рақам навишта мешавад, масалан 2023.
stats-hint-country = Кишвар бо рамзи сеҳарфаи лотинӣ навишта мешавад, мисли ҷадвалҳои шаҳрвандӣ.
stats-hint-flag = Чунин арзиш як калима бо ҳарфҳои лотинӣ аст, чӣ тавре ки дар ҷадвалҳои ин аломат омадааст.
stats-hint-code = Танҳо ҳарфҳо, рақамҳо, фосилаҳо ва аломатҳои _ - + / : . истифода шаванд.

## Аломатҳо

stats-dimension-year = Соли бақайдгирӣ
stats-dimension-gender = Ҷинс
stats-dimension-age = Синну сол ҳангоми муайянкунӣ
stats-dimension-citizenship = Шаҳрвандӣ
stats-dimension-country-of-exploitation = Кишвари истисмор
stats-dimension-exploitation = Навъи истисмор
stats-dimension-means-of-control = Воситаҳои назорат
stats-dimension-qualification = Тавсифи ҳуқуқӣ
stats-dimension-stage = Тавсифи ҳуқуқӣ аз рӯи марҳилаҳои роҳ

## Арзишҳо (арзишҳои рамзгузоришудаи CTDC)

stats-value-gender-man = Мард
stats-value-gender-woman = Зан
stats-value-gender-trans-transgender-non-conforming = Трансгендер ё шахси ғайрибинарӣ
stats-value-not-recorded = Қайд нашудааст
stats-value-exploitation-is-forced-labour = Меҳнати маҷбурӣ, аз ҷумла гадоӣ
stats-value-exploitation-is-sexual-exploit = Истисмори ҷинсӣ
stats-value-exploitation-is-other-exploit = Истисмори дигар
stats-value-means-of-control-means-debt-bondage-earnings = Ғуломии қарзӣ ё гирифтани музди меҳнат
stats-value-means-of-control-means-threats = Таҳдидҳо
stats-value-means-of-control-means-abuse-psy-phy-sex = Зӯроварии равонӣ, ҷисмонӣ ё ҷинсӣ
stats-value-means-of-control-means-false-promises = Ваъдаҳои бардурӯғ
stats-value-means-of-control-means-drugs-alcohol = Маводи мухаддир ё машрубот
stats-value-means-of-control-means-deny-basic-needs = Маҳрум кардан аз ниёзҳои аввалия
stats-value-means-of-control-means-excessive-work-hours = Соатҳои аз ҳад зиёди корӣ
stats-value-means-of-control-means-withhold-docs = Гирифтани ҳуҷҷатҳо
stats-age-range = { $from }–{ $to } сола
stats-age-from = { $from } сола ва калонтар
stats-stage-recruitment = ҷалбкунӣ
stats-stage-transit = гузариш
stats-stage-destination = кишвари таъинот
stats-stage-exit-or-return = баромадан ё бозгашт

## Як ҷадвал

stats-caption = { $dimension }: шумораи шахсон
stats-caption-within = { $dimension }: шумораи шахсоне, ки «{ $within }»-и онҳо «{ $value }» аст
stats-within = Танҳо шахсоне ба ҳисоб гирифта мешаванд, ки «{ $within }»-и онҳо «{ $value }» аст.
stats-within-everyone = Ҳамаро ба ҳисоб гирифтан
stats-column-persons = Шахсон
stats-column-iccs = Рамзи ICCS
stats-column-breakdown = Тақсимот
stats-breakdown = Тақсим кардан
stats-breakdown-label = Шахсонеро, ки «{ $dimension }»-и онҳо «{ $value }» аст, аз рӯи ҳамаи аломатҳои дигар тақсим кардан
stats-total = Ҳамагӣ, ҳар шахс як бор ба ҳисоб гирифта шудааст
stats-suppressed = пинҳон
stats-total-counted = { $count ->
    [0] Ягон шахс ба ҳисоб гирифта нашудааст.
   *[other] { $count } нафар ба ҳисоб гирифта шудааст.
}
stats-total-suppressed = Ҳамагӣ пинҳон аст: он камтар аз { $k } нафарро дар бар мегирифт.
stats-csv = Боргирӣ дар шакли CSV
stats-csv-label = Ҷадвали «{ $dimension }»-ро дар шакли CSV боргирӣ кардан
stats-figures = Рақамҳо дар шакли ҷадвал
stats-back = Бозгашт ба шарҳи умумӣ
stats-chart-shown = { $shown ->
    [0] Ягон арзиш рақами нашршуда надорад.
   *[other] { $shown } арзиш рақами нашршуда дорад.
}
stats-chart-hidden = { $hidden ->
    [0] Ягон арзиш пинҳон нашудааст.
   *[other] { $hidden } арзиш пинҳон шудааст.
}
stats-chart-largest = Аз ҳама бештар «{ $label }» аст: { $count } нафар.
stats-chart-table = Ҳамаи рақамҳо дар ҷадвали зери диаграмма оварда шудаанд.

## Вақте ки касе ба ҳисоб гирифта нашудааст

stats-empty = Дар феҳрист ҳоло касе ба ҳисоб гирифта нашудааст. Рақамҳо пас аз сабти парвандаҳо пайдо мешаванд, тавсифҳои ҳуқуқӣ ва марҳилаҳо бошанд, пас аз арзёбии парвандаҳо.
stats-empty-dimension = Аз рӯи «{ $dimension }» ҳоло касе ба ҳисоб гирифта нашудааст: рақамҳо пас аз сабти парвандаҳо бо ин маълумот пайдо мешаванд, тавсифҳои ҳуқуқӣ ва марҳилаҳо бошанд, пас аз арзёбии парвандаҳо.
stats-empty-within = Дар байни шахсоне, ки «{ $within }»-и онҳо «{ $value }» аст, касе ба ҳисоб гирифта нашудааст. Арзишро санҷед ё онро аз ҷадвали шарҳи умумӣ гиред.
stats-empty-table = Дар ин ҷо ҳоло касе ба ҳисоб гирифта нашудааст.

## Хондани рақамҳо ва қоидаҳое, ки онҳо риоя мекунанд

stats-notes-title = Рақамҳоро чӣ тавр хондан лозим
stats-note-suppressed = «Пинҳон» хонаеро ифода мекунад, ки дар он камтар аз { $k } нафар аст, ё хонаеро, ки ҳамроҳи он пинҳон карда шудааст, то онро на аз ҳамагӣ ва на аз якчанд ҷадвал якҷоя ҳисоб кардан мумкин бошад. Рақами он ҳеҷ гоҳ нишон дода намешавад: на дар диаграмма, на дар ҷадвал ва на дар файли CSV.
stats-note-several = Як шахс метавонад дар зери якчанд арзиши як аломат ба ҳисоб гирифта шавад (навъҳои истисмор, воситаҳои назорат, тавсифҳои ҳуқуқӣ, марҳилаҳо); ҳамагӣ ҳар шахсро як бор ба ҳисоб мегирад, аз ҷумла шахсоне, ки ягонтои ин арзишҳоро надоранд.
stats-note-countries = Кишварҳо бо рамзҳои сеҳарфаи стандарти ИСО 3166 ишора шудаанд.
stats-note-age = Синну сол ба лаҳзаи муайянкунӣ, аз рӯи гурӯҳҳои синнии CTDC нишон дода шудааст.
stats-policy-title = Рақамҳо чӣ тавр ҳифз карда мешаванд
stats-policy-k = Андозаи ҳадди ақали хона k = { $k } аст: ягон рақами нашршуда шахсони камтарро дар бар намегирад. Онро феҳрист муқаррар мекунад; хонанда онро кам карда наметавонад.
stats-policy-source = Манбаъ: { $source } ({ $status }).
stats-iccs-caption = Тавсифҳои ҳуқуқӣ, ки бо рамзи ҷиноят аз рӯи Таснифоти байналмилалии ҷиноятҳо барои мақсадҳои оморӣ (ICCS) ба ҳисоб гирифта мешаванд
stats-iccs-concept = Тавсифи ҳуқуқӣ
stats-iccs-code = Рамзи ICCS
stats-iccs-label = Категорияи ICCS
stats-status-verified = бо матни расмӣ муқоиса шудааст
stats-status-secondary = аз манбаи дуюмдараҷа гирифта шудааст
stats-status-seed = аз мақолаи ибтидоӣ гирифта шудааст, ҳанӯз санҷида нашудааст
stats-status-recalled = аз хотир оварда шудааст, бояд санҷида шавад
stats-status-unverified = санҷида нашудааст
