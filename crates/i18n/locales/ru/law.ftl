# Обозреватель права: инструменты, положения, понятия, доктрины, терминология и источники.

law-title = Право
law-lead = Инструменты, положения, понятия и доктрины, которые применяет эта система, — для каждого указано, насколько мы уверены в его тексте и где он используется.
law-version = Версия права (отпечаток её исходных файлов):
law-sections = Разделы права
law-breadcrumbs = Вы здесь
law-identifier = Идентификатор
law-source = Источник
law-note = Примечание
law-written-in = Записано в
law-refers-to = Ссылается на
law-date-unknown = не указано
law-article = статья { $article }

law-statuses-title = Насколько мы уверены в каждом тексте
law-statuses-lead = У каждого положения и каждого источника есть статус. Полагайтесь на вывод лишь настолько, насколько позволяет статус положений, на которых он основан: всё непроверенное нужно проверить, прежде чем на него опираться.
law-statuses-caption = Статусы и число положений и источников с каждым из них
law-status-verified = проверено
law-status-secondary = вторичный источник
law-status-seed = исходная статья
law-status-recalled = по памяти
law-status-unverified = не подтверждено
law-status-verified-help = Прочитано в официальном или аутентичном тексте (официальный вестник или сборник договоров, издание самой организации, официальная правовая база), источник назван.
law-status-secondary-help = Прочитано в надёжной копии или изложении, источник назван; официальный текст не прочитан.
law-status-seed-help = Изложено в исходной статье, с которой начинается этот инструмент, и больше нигде не найдено.
law-status-recalled-help = Известно по памяти или по сообщениям, не приводящим самих слов; прежде чем на это опираться, нужно сверить с официальным текстом.
law-status-unverified-help = Где-то утверждается, но найти не удалось. Считайте это наводкой, а не правом.

law-column-status = Статус
law-column-meaning = Что это значит
law-column-provisions = Положения
law-column-sources = Источники
law-column-instrument = Инструмент
law-column-kind = Вид
law-column-adopted = Принят
law-column-in-force = Действует
law-column-concept = Понятие
law-column-name = Имя в правилах
law-column-kinds = Что оно описывает
law-column-rules = Правила действующего права
law-column-readings = Правила доктрин и реформ

law-instruments-title = Инструменты
law-instruments-caption = { $count ->
    [one] { $count } инструмент
    [few] { $count } инструмента
   *[many] { $count } инструментов
}
law-jurisdiction = { $jurisdiction ->
    [international] Международное право
    [tajikistan] Право Таджикистана
    [russia] Право Российской Федерации
    [doctrine] Доктрина, доклады и глоссарии
   *[other] Иные источники права ({ $jurisdiction })
}
law-instrument-kind = { $kind ->
    [treaty] договор
    [code] кодекс
    [statute] закон
    [government-decree] постановление правительства
    [scholarship] научная работа
    [report] доклад
    [case-law] судебная практика
    [glossary] глоссарий
    [guidelines] руководящие принципы
   *[other] иной инструмент ({ $kind })
}

law-period-between = с { $start } по { $end }
law-period-from = с { $start }
law-period-until = по { $end }
law-period-unknown = даты не указаны

law-counts-title = Что содержит база знаний
law-counts-caption = Записи базы знаний по видам
law-count-instruments = Инструменты
law-count-provisions = Положения
law-count-sources = Источники библиографии
law-count-facts = Факты, которые может дать дело
law-count-concepts = Понятия
law-count-rules = Правила и исключения
law-count-doctrines = Доктрины и реформы
law-count-terms = Термины

law-provisions-title = { $count ->
    [one] { $count } положение
    [few] { $count } положения
   *[many] { $count } положений
}
law-provisions-none = Ни одно положение этого инструмента не входит в базу знаний.
law-text-title = Текст
law-text-absent = Текст этого положения не прочитан.
law-text-paraphrase = Пересказ, а не слова самого инструмента.

law-used-title = Где используется
law-used-nothing = На этом положении не основано ни одно правило, доктрина или термин.
law-used-concepts = Понятия, решаемые на его основе
law-used-facts = Факты, которые читают эти правила
law-used-rules = { $count ->
    [one] { $count } правило, ссылающееся на него
    [few] { $count } правила, ссылающихся на него
   *[many] { $count } правил, ссылающихся на него
}
law-used-doctrines = Доктрины и реформы, основанные на нём
law-used-terms = Термины, которые оно определяет или соотносит
law-used-referred-by = Положения, которые на него ссылаются
law-term-role-defines = определяет термин
law-term-role-synonyms = считает его синонимом других
law-term-role-distinct = придаёт ему значение, отличное от других

law-rule = Правило { $id }
law-rule-exception = Исключение { $id } из правила { $parent }
law-rule-decides = Решает
law-rule-holds-when = Выполняется, когда
law-rule-when = Когда
law-rule-value = Тогда значение
law-rule-applies = Применяется
law-rule-only-under = Только в рамках
law-rule-over = Имеет приоритет над
law-rule-cites = Основано на

law-expr-yes = да
law-expr-no = нет
law-expr-undetermined = не определено: текст, который решил бы вопрос, не прочитан
law-expr-fact-yes = { $fact } — да
law-expr-fact-no = { $fact } — нет
law-expr-not-concept = не выполняется:
law-expr-not = ничего из следующего:
law-expr-all = всё из следующего:
law-expr-any = хотя бы одно из следующего:
law-expr-at-least = не менее { $count } из следующего:
law-expr-is = { $fact } — ответ «{ $options }»
law-expr-has = { $fact } — включает «{ $options }»
law-expr-is-one-of = { $fact } — одно из: { $options }
law-expr-has-any = { $fact } — включает хотя бы одно из: { $options }
law-expr-as-of = дата оценки
law-expr-answer-to = ответ на вопрос «{ $question }»
law-expr-age = возраст в полных годах между датами: { $left } и { $right }
law-expr-plus = { $left } плюс { $right }
law-expr-minus = { $left } минус { $right }
law-expr-less = { $left } меньше, чем { $right }
law-expr-at-most = { $left } не больше, чем { $right }
law-expr-more = { $left } больше, чем { $right }
law-expr-at-least-value = { $left } не меньше, чем { $right }
law-expr-equal = { $left } равно { $right }
law-expr-not-equal = { $left } не равно { $right }

law-concepts-title = Понятия
law-concepts-lead = То, что механизм решает по делу: статус человека, преступления причастных лиц, последствия для человека и элементы, из которых они складываются.
law-concepts-caption = { $count ->
    [one] { $count } понятие
    [few] { $count } понятия
   *[many] { $count } понятий
}
law-kind-element = элемент
law-kind-status = статус
law-kind-offence = преступление
law-kind-consequence = последствие
law-kinds-status = Статусы человека
law-kinds-status-help = Кем человек является по закону: нерегулярный мигрант, незаконно ввезённый мигрант, жертва торговли людьми.
law-kinds-offence = Преступления
law-kinds-offence-help = За что могут преследовать тех, кто действовал против человека.
law-kinds-consequence = Последствия для человека
law-kinds-consequence-help = Что из этого следует для человека: защита, освобождение от наказания, права.
law-kinds-element = Элементы
law-kinds-element-help = Части, из которых складываются статусы, преступления и последствия.
law-concept-named-by = Называется в терминологии:
law-concept-rules = { $count ->
    [0] Ни одно правило действующего права его не решает
    [one] { $count } правило действующего права, которое его решает
    [few] { $count } правила действующего права, которые его решают
   *[many] { $count } правил действующего права, которые его решают
}
law-concept-no-rules = Оно решается только в рамках доктрин и реформ ниже.
law-concept-readings = В рамках доктрин и реформ
law-concept-readings-lead = Эти правила применяются, только если оценку просят провести по доктрине или реформе, к которой они относятся.
law-concept-provisions = Положения, на которых оно основано
law-concept-used-in = Понятия, правила которых его читают

law-doctrines-title = Доктрины и реформы
law-doctrines-lead = Толкования права учёными, судами и учреждениями, а также предложения изменить его. Их правила применяются, только если оценку просят провести по ним.
law-doctrines-none = В базе знаний нет ни доктрин, ни реформ.
law-doctrine = доктрина
law-reform = реформа
law-reform-help = Реформа — это предложение, а не действующее право.
law-doctrine-held-by = Чьё это мнение
law-doctrine-changes = Что она меняет
law-doctrine-no-rules = Пока ни одно правило не следует этому толкованию.

law-terms-title = Терминология
law-terms-lead = Слова, которыми источники называют одно и то же или сходные явления, кто их определяет и кто считает их синонимами, а кто нет.
law-terms-none = В базе знаний нет терминов.
law-term-forms = Термин на каждом языке
law-term-defined-by = Определяется в
law-term-synonyms = Синонимы
law-term-synonyms-per = Считают синонимами
law-term-distinct-per = Различают по значению
law-term-concept = Механизм решает его как

law-sources-title = Библиография
law-sources-lead = Работы, на которые ссылаются положения и доктрины, с указанием статуса каждой.
law-sources-none = Библиография пуста.
law-source-provisions = { $count ->
    [one] На неё ссылается { $count } положение
    [few] На неё ссылаются { $count } положения
   *[many] На неё ссылаются { $count } положений
}
law-source-doctrines = Доктрины и реформы, основанные на ней:
law-language-en = английский
law-language-ru = русский
law-language-tg = таджикский
law-language-fr = французский
law-language-es = испанский
law-language-de = немецкий
law-language-it = итальянский
law-translation-note = Наш перевод текста выше на английский: для чтения, не официальный текст.
law-text-language = Язык цитируемого текста: { $language }.
law-verified-share = { $percent }% цитируемых положений прочитаны в официальном тексте. Статус инструмента ниже — самый слабый из его собственного (название и даты) и статусов его положений.
law-basis-caption = Правила по лучшему тексту, на котором они основаны: правило со статусом «по памяти» или «не подтверждено» не опирается ни на один прочитанный текст, и его выводы сопровождаются предупреждением
law-column-rule-count = Правила
law-column-verified = Проверено
law-own-status = Название и даты:
