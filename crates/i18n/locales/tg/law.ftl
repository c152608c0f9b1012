# Саҳифаҳои ҳуқуқ: санадҳо, муқаррарот, мафҳумҳо, доктринаҳо, истилоҳот ва сарчашмаҳо.

law-title = Ҳуқуқ
law-lead = Санадҳо, муқаррарот, мафҳумҳо ва доктринаҳое, ки ин низом татбиқ мекунад, — барои ҳар кадом нишон дода шудааст, ки мо ба матни он то чӣ андоза боварӣ дорем ва он дар куҷо истифода мешавад.
law-version = Версияи ҳуқуқ (изи файлҳои манбаи он):
law-sections = Қисмҳои ҳуқуқ
law-breadcrumbs = Шумо дар ин ҷо ҳастед
law-identifier = Нишонаи шинос
law-source = Сарчашма
law-note = Эзоҳ
law-written-in = Навишта шудааст дар
law-refers-to = Ишора мекунад ба
law-date-unknown = қайд нашудааст
law-article = моддаи { $article }

law-statuses-title = Мо ба ҳар матн то чӣ андоза боварӣ дорем
law-statuses-lead = Ҳар муқаррарот ва ҳар сарчашма мақом дорад. Ба хулоса танҳо то ҳадде такя кунед, ки мақоми муқаррароти асоси он иҷозат медиҳад: ҳар чизи санҷиданашударо пеш аз такя кардан бояд санҷид.
law-statuses-caption = Мақомҳо ва шумораи муқаррарот ва сарчашмаҳое, ки ҳар яке доранд
law-status-verified = санҷида шуд
law-status-secondary = сарчашмаи дуюмдараҷа
law-status-seed = мақолаи ибтидоӣ
law-status-recalled = аз хотир
law-status-unverified = тасдиқ нашуд
law-status-verified-help = Дар матни расмӣ ё аслӣ хонда шудааст (нашрияи расмӣ ё маҷмӯаи шартномаҳо, нашри худи созмон, махзани расмии ҳуқуқӣ), сарчашма номбар шудааст.
law-status-secondary-help = Дар нусха ё баёни боэътимод хонда шудааст, сарчашма номбар шудааст; матни расмӣ хонда нашудааст.
law-status-seed-help = Дар мақолаи ибтидоӣ, ки ин восита аз он оғоз мешавад, омадааст ва дар ҷои дигар ёфт нашуд.
law-status-recalled-help = Аз хотир ё аз гузоришҳое маълум аст, ки худи калимаҳоро намеоранд; пеш аз такя кардан бояд бо матни расмӣ муқоиса шавад.
law-status-unverified-help = Дар ҷое иддао шудааст, вале ёфт нашуд. Онро ҳамчун нишона бинед, на ҳамчун ҳуқуқ.

law-column-status = Мақом
law-column-meaning = Маънояш чист
law-column-provisions = Муқаррарот
law-column-sources = Сарчашмаҳо
law-column-instrument = Санад
law-column-kind = Намуд
law-column-adopted = Қабул шудааст
law-column-in-force = Амал мекунад
law-column-concept = Мафҳум
law-column-name = Ном дар қоидаҳо
law-column-kinds = Чиро тавсиф мекунад
law-column-rules = Қоидаҳои ҳуқуқи амалкунанда
law-column-readings = Қоидаҳои доктринаҳо ва ислоҳот

law-instruments-title = Санадҳо
law-instruments-caption = { $count } санад
law-jurisdiction = { $jurisdiction ->
    [international] Ҳуқуқи байналмилалӣ
    [tajikistan] Ҳуқуқи Тоҷикистон
    [russia] Ҳуқуқи Федератсияи Россия
    [doctrine] Доктрина, гузоришҳо ва луғатномаҳо
   *[other] Дигар сарчашмаҳои ҳуқуқ ({ $jurisdiction })
}
law-instrument-kind = { $kind ->
    [treaty] шартнома
    [code] кодекс
    [statute] қонун
    [government-decree] қарори ҳукумат
    [scholarship] асари илмӣ
    [report] гузориш
    [case-law] таҷрибаи судӣ
    [glossary] луғатнома
    [guidelines] принсипҳои роҳнамо
   *[other] санади дигар ({ $kind })
}

law-period-between = аз { $start } то { $end }
law-period-from = аз { $start }
law-period-until = то { $end }
law-period-unknown = санаҳо қайд нашудаанд

law-counts-title = Дар пойгоҳи дониш чӣ ҳаст
law-counts-caption = Сабтҳои пойгоҳи дониш аз рӯи намуд
law-count-instruments = Санадҳо
law-count-provisions = Муқаррарот
law-count-sources = Сарчашмаҳои феҳристи адабиёт
law-count-facts = Далелҳое, ки парванда дода метавонад
law-count-concepts = Мафҳумҳо
law-count-rules = Қоидаҳо ва истисноҳо
law-count-doctrines = Доктринаҳо ва ислоҳот
law-count-terms = Истилоҳҳо

law-provisions-title = { $count } муқаррарот
law-provisions-none = Ягон муқаррароти ин санад ба пойгоҳи дониш дохил нашудааст.
law-text-title = Матн
law-text-absent = Матни ин муқаррарот хонда нашудааст.
law-text-paraphrase = Баёни мазмун, на калимаҳои худи санад.

law-used-title = Дар куҷо истифода мешавад
law-used-nothing = Ягон қоида, доктрина ё истилоҳ ба ин муқаррарот асос намеёбад.
law-used-concepts = Мафҳумҳое, ки дар асоси он ҳал мешаванд
law-used-facts = Далелҳое, ки ин қоидаҳо мехонанд
law-used-rules = { $count ->
    [1] Қоидае, ки ба он истинод мекунад
   *[other] { $count } қоидае, ки ба он истинод мекунанд
}
law-used-doctrines = Доктринаҳо ва ислоҳоте, ки ба он асос ёфтаанд
law-used-terms = Истилоҳҳое, ки онро муайян ё муқоиса мекунад
law-used-referred-by = Муқаррароте, ки ба он ишора мекунанд
law-term-role-defines = истилоҳро муайян мекунад
law-term-role-synonyms = онро ҳаммаънои дигарон меҳисобад
law-term-role-distinct = ба он маънои аз дигарон фарқкунанда медиҳад

law-rule = Қоидаи { $id }
law-rule-exception = Истиснои { $id } аз қоидаи { $parent }
law-rule-decides = Ҳал мекунад
law-rule-holds-when = Иҷро мешавад, вақте ки
law-rule-when = Вақте ки
law-rule-value = Он гоҳ қимат
law-rule-applies = Татбиқ мешавад
law-rule-only-under = Танҳо дар доираи
law-rule-over = Бартарӣ дорад аз
law-rule-cites = Асос меёбад ба

law-expr-yes = ҳа
law-expr-no = не
law-expr-undetermined = номуайян: матне, ки масъаларо ҳал мекард, хонда нашудааст
law-expr-fact-yes = { $fact } — ҳа
law-expr-fact-no = { $fact } — не
law-expr-not-concept = иҷро намешавад:
law-expr-not = ҳеҷ яке аз инҳо:
law-expr-all = ҳамаи инҳо:
law-expr-any = ақаллан яке аз инҳо:
law-expr-at-least = ақаллан { $count } аз инҳо:
law-expr-is = { $fact } — ҷавоб «{ $options }»
law-expr-has = { $fact } — «{ $options }»-ро дар бар мегирад
law-expr-is-one-of = { $fact } — яке аз: { $options }
law-expr-has-any = { $fact } — ақаллан якеро дар бар мегирад аз: { $options }
law-expr-as-of = санаи арзёбӣ
law-expr-answer-to = ҷавоб ба саволи «{ $question }»
law-expr-age = синну сол бо солҳои пурра байни санаҳо: { $left } ва { $right }
law-expr-plus = { $left } ҷамъ { $right }
law-expr-minus = { $left } тарҳ { $right }
law-expr-less = { $left } камтар аз { $right }
law-expr-at-most = { $left } на бештар аз { $right }
law-expr-more = { $left } бештар аз { $right }
law-expr-at-least-value = { $left } на камтар аз { $right }
law-expr-equal = { $left } баробар ба { $right }
law-expr-not-equal = { $left } ба { $right } баробар нест

law-concepts-title = Мафҳумҳо
law-concepts-lead = Он чи механизм дар парванда ҳал мекунад: мақоми шахс, ҷиноятҳои шахсони ширкаткунанда, оқибатҳо барои шахс ва унсурҳое, ки онҳо аз онҳо ташкил меёбанд.
law-concepts-caption = { $count } мафҳум
law-kind-element = унсур
law-kind-status = мақом
law-kind-offence = ҷиноят
law-kind-consequence = оқибат
law-kinds-status = Мақомҳои шахс
law-kinds-status-help = Шахс аз рӯи қонун кист: муҳоҷири номунтазам, муҳоҷири ғайриқонунӣ воридшуда, қурбонии савдои одамон.
law-kinds-offence = Ҷиноятҳо
law-kinds-offence-help = Онҳое, ки бар зидди шахс амал кардаанд, барои чӣ ба ҷавобгарӣ кашида шуда метавонанд.
law-kinds-consequence = Оқибатҳо барои шахс
law-kinds-consequence-help = Барои шахс чӣ бармеояд: ҳифз, озод шудан аз ҷазо, ҳуқуқҳо.
law-kinds-element = Унсурҳо
law-kinds-element-help = Қисмҳое, ки мақомҳо, ҷиноятҳо ва оқибатҳо аз онҳо ташкил меёбанд.
law-concept-named-by = Дар истилоҳот чунин номида мешавад:
law-concept-rules = { $count ->
    [0] Ягон қоидаи ҳуқуқи амалкунанда онро ҳал намекунад
    [1] Қоидаи ҳуқуқи амалкунанда, ки онро ҳал мекунад
   *[other] { $count } қоидаи ҳуқуқи амалкунанда, ки онро ҳал мекунанд
}
law-concept-no-rules = Он танҳо дар доираи доктринаҳо ва ислоҳоти дар поён овардашуда ҳал мешавад.
law-concept-readings = Дар доираи доктринаҳо ва ислоҳот
law-concept-readings-lead = Ин қоидаҳо танҳо вақте татбиқ мешаванд, ки арзёбиро аз рӯи доктрина ё ислоҳоте, ки ба он тааллуқ доранд, гузаронидан хоҳанд.
law-concept-provisions = Муқаррароте, ки он ба онҳо асос меёбад
law-concept-used-in = Мафҳумҳое, ки қоидаҳояшон онро мехонанд

law-doctrines-title = Доктринаҳо ва ислоҳот
law-doctrines-lead = Тафсири ҳуқуқ аз ҷониби олимон, судҳо ва муассисаҳо ва пешниҳодҳо оид ба тағйир додани он. Қоидаҳои онҳо танҳо вақте татбиқ мешаванд, ки арзёбиро аз рӯи онҳо гузаронидан хоҳанд.
law-doctrines-none = Дар пойгоҳи дониш ягон доктрина ё ислоҳот нест.
law-doctrine = доктринаи ҳуқуқӣ
law-reform = ислоҳот
law-reform-help = Ислоҳот пешниҳод аст, на ҳуқуқи амалкунанда.
law-doctrine-held-by = Ақидаи кист
law-doctrine-changes = Чиро тағйир медиҳад
law-doctrine-no-rules = Ҳоло ягон қоида ба ин тафсир пайравӣ намекунад.

law-terms-title = Истилоҳот
law-terms-lead = Калимаҳое, ки сарчашмаҳо бо онҳо як чиз ё чизҳои ба ҳам наздикро меноманд, кӣ онҳоро муайян мекунад ва кӣ онҳоро ҳаммаъно меҳисобад ё не.
law-terms-none = Дар пойгоҳи дониш истилоҳ нест.
law-term-forms = Истилоҳ дар ҳар забон
law-term-defined-by = Муайян шудааст дар
law-term-synonyms = Ҳаммаъноҳо
law-term-synonyms-per = Ҳаммаъно меҳисобанд
law-term-distinct-per = Маъноҳои гуногун медиҳанд
law-term-concept = Механизм онро ҳамчун ин ҳал мекунад

law-sources-title = Феҳристи адабиёт
law-sources-lead = Асарҳое, ки муқаррарот ва доктринаҳо ба онҳо истинод мекунанд, бо мақоми ҳар кадом.
law-sources-none = Феҳристи адабиёт холӣ аст.
law-source-provisions = { $count ->
    [1] Як муқаррарот ба он истинод мекунад
   *[other] { $count } муқаррарот ба он истинод мекунанд
}
law-source-doctrines = Доктринаҳо ва ислоҳоте, ки ба он асос ёфтаанд:
law-language-en = англисӣ
law-language-ru = русӣ
law-language-tg = тоҷикӣ
law-language-fr = фаронсавӣ
law-language-es = испанӣ
law-language-de = олмонӣ
law-language-it = итолиёвӣ
law-translation-note = Тарҷумаи англисии мо аз матни боло: барои хондан, на матни расмӣ.
law-text-language = Забони матни иқтибосшуда: { $language }.
law-verified-share = { $percent }% муқаррароти иқтибосшуда дар матни расмӣ хонда шудаанд. Мақоми санад дар поён заифтарини мақоми худи он (ном ва санаҳо) ва муқаррароти он аст.
law-basis-caption = Қоидаҳо аз рӯи беҳтарин матне, ки ба он такя мекунанд: қоидае, ки мақомаш «аз хотир» ё «тасдиқнашуда» аст, ба ягон матни хондашуда такя намекунад ва хулосаҳояш бо огоҳӣ меоянд
law-column-rule-count = Қоидаҳо
law-column-verified = Санҷидашуда
law-own-status = Ном ва санаҳо:
