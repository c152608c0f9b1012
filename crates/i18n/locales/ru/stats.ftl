# Панель статистики: k-анонимизированные цифры реестра в виде диаграмм, таблиц и CSV.
# Числа ($k, $count, $shown, $hidden, $from, $to) выбирают формы множественного числа;
# остальные аргументы уже написаны на языке страницы.

stats-title = Статистика
stats-title-dimension = Статистика: { $dimension }
stats-lead = Число лиц в реестре по одному измерению за раз, только по кодированным значениям и никогда по свободному тексту. Каждая опубликованная цифра охватывает не менее { $k ->
    [one] { $k } человека.
   *[other] { $k } человек.
}

## Форма

stats-form-label = Выбор показателей
stats-field-dimension = Считать лиц по измерению
stats-field-overview = все измерения (обзор)
stats-field-within = Только лица, у которых
stats-field-everyone = без ограничения: все учтённые лица
stats-field-value = имеет значение
stats-field-value-hint = Год, например 2023, трёхбуквенный код страны или значение из таблицы. Ссылки «Разбить» в таблицах заполняют эти поля за вас.
stats-submit = Показать

## Отказы, рядом с полем, которого они касаются

stats-error-query = Этот адрес не удаётся прочитать. Выберите показатели заново.
stats-error-dimension = «{ $value }» — не измерение. Выберите измерение из списка.
stats-error-within-same = Лиц, подсчитанных по измерению, нельзя ограничить тем же измерением. Выберите другое.
stats-error-within-missing = Выберите измерение, к которому относится это значение.
stats-error-value-missing = Укажите значение этого измерения или выберите выше «без ограничения».
stats-error-value-form = «{ $value }» записано не так, как значения этого измерения. { $hint }
stats-error-value-unknown = «{ $value }» не входит в значения этого измерения. Выберите значение из списка.
stats-error-csv-dimension = Для загрузки таблицы нужно указать измерение.
stats-hint-year = Год записывается четырьмя цифрами, например 2023.
stats-hint-country = Страна записывается трёхбуквенным латинским кодом, как в таблицах гражданства.
stats-hint-flag = Такое значение — одно слово латинскими буквами, как в таблицах этого измерения.
stats-hint-code = Допустимы только буквы, цифры, пробелы и знаки _ - + / : .

## Измерения

stats-dimension-year = Год регистрации
stats-dimension-gender = Пол
stats-dimension-age = Возраст при выявлении
stats-dimension-citizenship = Гражданство
stats-dimension-country-of-exploitation = Страна эксплуатации
stats-dimension-exploitation = Вид эксплуатации
stats-dimension-means-of-control = Средства контроля
stats-dimension-qualification = Квалификация
stats-dimension-stage = Квалификация по этапам пути

## Значения (кодированные значения CTDC)

stats-value-gender-man = Мужчина
stats-value-gender-woman = Женщина
stats-value-gender-trans-transgender-non-conforming = Трансгендерный или гендерно неконформный человек
stats-value-not-recorded = Не указано
stats-value-exploitation-is-forced-labour = Принудительный труд, включая попрошайничество
stats-value-exploitation-is-sexual-exploit = Сексуальная эксплуатация
stats-value-exploitation-is-other-exploit = Иная эксплуатация
stats-value-means-of-control-means-debt-bondage-earnings = Долговая кабала или изъятие заработка
stats-value-means-of-control-means-threats = Угрозы
stats-value-means-of-control-means-abuse-psy-phy-sex = Психологическое, физическое или сексуальное насилие
stats-value-means-of-control-means-false-promises = Ложные обещания
stats-value-means-of-control-means-drugs-alcohol = Наркотики или алкоголь
stats-value-means-of-control-means-deny-basic-needs = Лишение самого необходимого
stats-value-means-of-control-means-excessive-work-hours = Чрезмерно долгий рабочий день
stats-value-means-of-control-means-withhold-docs = Изъятие документов
stats-age-range = { $from }–{ $to } { $to ->
    [one] год
    [few] года
   *[other] лет
}
stats-age-from = { $from } { $from ->
    [one] год
    [few] года
   *[other] лет
} и старше
stats-stage-recruitment = вербовка
stats-stage-transit = транзит
stats-stage-destination = страна назначения
stats-stage-exit-or-return = выезд или возвращение

## Одна таблица

stats-caption = { $dimension }: число лиц
stats-caption-within = { $dimension }: число лиц, у которых «{ $within }» — «{ $value }»
stats-within = Учитываются только лица, у которых «{ $within }» — «{ $value }».
stats-within-everyone = Учитывать всех
stats-column-persons = Лиц
stats-column-iccs = Код ICCS
stats-column-breakdown = Разбивка
stats-breakdown = Разбить
stats-breakdown-label = Разбить лиц, у которых «{ $dimension }» — «{ $value }», по всем остальным измерениям
stats-total = Всего, каждое лицо учтено один раз
stats-suppressed = скрыто
stats-total-counted = { $count ->
    [0] Не учтено ни одного лица.
    [one] Учтено { $count } лицо.
    [few] Учтено { $count } лица.
   *[other] Учтено { $count } лиц.
}
stats-total-suppressed = Итог скрыт: он охватывал бы менее { $k ->
    [one] { $k } человека.
   *[other] { $k } человек.
}
stats-csv = Скачать в формате CSV
stats-csv-label = Скачать таблицу «{ $dimension }» в формате CSV
stats-figures = Цифры в виде таблицы
stats-back = Назад к обзору
stats-chart-shown = { $shown ->
    [0] Ни у одного значения нет опубликованного числа.
    [one] У { $shown } значения есть опубликованное число.
   *[other] У { $shown } значений есть опубликованное число.
}
stats-chart-hidden = { $hidden ->
    [0] Скрытых значений нет.
    [one] Скрыто { $hidden } значение.
    [few] Скрыто { $hidden } значения.
   *[other] Скрыто { $hidden } значений.
}
stats-chart-largest = Больше всего — «{ $label }»: { $count ->
    [few] { $count } человека.
   *[other] { $count } человек.
}
stats-chart-table = Все цифры приведены в таблице под диаграммой.

## Когда никто не учтён

stats-empty = В реестре пока никто не учтён. Цифры появятся здесь, когда будут записаны дела, а квалификации и этапы — когда дела будут оценены.
stats-empty-dimension = По измерению «{ $dimension }» пока никто не учтён: цифры появятся, когда будут записаны дела с этими сведениями, а квалификации и этапы — когда дела будут оценены.
stats-empty-within = Среди лиц, у которых «{ $within }» — «{ $value }», никто не учтён. Проверьте значение или возьмите его из таблицы обзора.
stats-empty-table = Здесь пока никто не учтён.

## Как читать цифры и каким правилам они следуют

stats-notes-title = Как читать цифры
stats-note-suppressed = «Скрыто» означает ячейку, в которой менее { $k ->
    [one] { $k } человека,
   *[other] { $k } человек,
} или ячейку, скрытую вместе с ней, чтобы её нельзя было вычислить ни из итога, ни из нескольких таблиц вместе. Её число никогда не показывается: ни на диаграмме, ни в таблице, ни в файле CSV.
stats-note-several = Одно лицо может учитываться при нескольких значениях одного измерения (виды эксплуатации, средства контроля, квалификации, этапы); итог учитывает каждое лицо один раз, в том числе лиц без какого-либо из этих значений.
stats-note-countries = Страны обозначены трёхбуквенными кодами стандарта ИСО 3166.
stats-note-age = Возраст указан на момент выявления, по возрастным группам CTDC.
stats-policy-title = Как защищены цифры
stats-policy-k = Минимальный размер ячейки k = { $k }: ни одна опубликованная цифра не охватывает меньше лиц. Его устанавливает реестр; читатель не может его уменьшить.
stats-policy-source = Источник: { $source } ({ $status }).
stats-iccs-caption = Квалификации, учитываемые с кодом преступления по Международной классификации преступлений для статистических целей (ICCS)
stats-iccs-concept = Квалификация
stats-iccs-code = Код ICCS
stats-iccs-label = Категория ICCS
stats-status-verified = сверено с официальным текстом
stats-status-secondary = взято из вторичного источника
stats-status-seed = взято из исходной статьи, ещё не сверено
stats-status-recalled = приведено по памяти, требует проверки
stats-status-unverified = не проверено
