# The web application's common words: layout, errors, first run, signing in, users.

nav-skip = Перейти к содержимому
nav-label = Главное меню
nav-language = Язык
nav-interview = Интервью
nav-cases = Случаи
nav-law = Право
nav-statistics = Статистика
nav-users = Пользователи
nav-sign-out = Выйти
nav-account = Ваша учётная запись
language-en = English
language-ru = Русский
language-tg = Тоҷикӣ
footer-law-version = Версия права { $version }
footer-statuses = У каждого положения указан статус: «проверено» (сверено с официальным текстом), «вторичный источник» (взято из надёжного вторичного источника), «исходная статья» (взято из статьи, на которой основан этот инструмент), «по памяти» или «не проверено».

role-administrator = администратор
role-caseworker = социальный работник
role-investigator = следователь
role-analyst = аналитик

status-verified = проверено
status-seed = исходная статья
status-recalled = по памяти
status-unverified = не проверено
status-verified-help = Прочитано в официальном или аутентичном тексте (официальный вестник или сборник договоров, издание самой организации, официальная правовая база), источник назван.
status-seed-help = Изложено в исходной статье, с которой начинается этот инструмент, и больше нигде не найдено.
status-recalled-help = Известно по памяти или по сообщениям, не приводящим самих слов; прежде чем на это опираться, нужно сверить с официальным текстом.
status-unverified-help = Где-то утверждается, но найти не удалось. Считайте это наводкой, а не правом.

tri-yes = да
tri-no = нет
tri-open = не определено

error-home = Вернуться на главную страницу
error-forbidden = Ваша роль не позволяет это сделать.
error-csrf = Срок действия этой формы истёк. Вернитесь назад, обновите страницу и отправьте форму ещё раз.
error-invalid = Отправленные данные нельзя использовать.
error-not-found = Здесь ничего нет.
error-conflict = Тем временем кто-то изменил эти данные. Обновите страницу и попробуйте ещё раз.
error-storage = На сервере произошла ошибка. Ничего не потеряно; попробуйте ещё раз.
error-language = Этот язык не поддерживается.
error-username = Имя пользователя состоит из 1–64 букв, цифр, точек, дефисов, знаков подчёркивания или @.
error-username-taken = Это имя пользователя уже занято.
error-password = Пароль должен содержать не менее { $min } { $min ->
    [one] символа
   *[other] символов
}.
error-password-blank = Пароль не может состоять из одних пробелов.
error-password-variety = В пароле должно быть не менее 4 разных символов.
error-password-run = Пароль не может быть рядом соседних символов, как 1234567890.
error-password-username = Пароль не должен содержать имя пользователя.
error-password-common = Этот пароль — один из самых распространённых, его угадывают первым; выберите другой.
error-organisation = Укажите название организации.
error-role = Выберите роль из списка.
error-sign-in = Неверное имя пользователя или пароль.
error-sign-in-held = Слишком много неудачных попыток входа под этим именем. Повторите через { $seconds } { $seconds ->
    [one] секунду
    [few] секунды
   *[other] секунд
}.
error-current-password = Текущий пароль неверен.

home-title = Нерегулярная миграция, незаконный ввоз мигрантов или торговля людьми?
home-lead = Здесь случай квалифицируется поэлементно по международному праву и праву Таджикистана: указывается, на каких положениях основан каждый вывод и какие факты позволили бы решить то, что пока не определено.
home-interview = Интервью по шагам: сначала согласие, затем вопросы, от которых зависит больше всего.
home-cases = Случаи, описанные как путь человека, выводы по ним, объяснения и отчёты.
home-law = Правовые акты, положения, понятия и доктрины, на которых основан каждый вывод.
home-statistics = Данные реестра с k-анонимизацией — в виде диаграмм и CSV.
home-caution = Вывод здесь — подспорье для решения, а не само решение: проверьте положения, на которые он ссылается, особенно непроверенные.

setup-title = Первый запуск: создайте администратора
setup-lead = Этим реестром пока никто не пользуется. Первая учётная запись управляет им: она создаёт остальных пользователей своей организации.
setup-default-organisation = Главный офис
setup-submit = Создать администратора
field-organisation = Организация
field-username = Имя пользователя
field-password = Пароль
field-password-hint = Не менее { $min } { $min ->
    [one] символа
   *[other] символов
}.
field-role = Роль
field-current-password = Текущий пароль
field-new-password = Новый пароль

sign-in-title = Вход
sign-in-expired = Ваш сеанс завершён. Войдите снова, чтобы продолжить с того места, где вы остановились; ничего из введённого не потеряно.
sign-in-submit = Войти

users-title = Пользователи
users-caption = Пользователи организации { $organisation }
users-created = Дата создания
users-add = Добавить пользователя
users-added = { $username } теперь может войти.
users-submit = Добавить

account-title = Ваша учётная запись
account-lead = Вы вошли как { $username }, в организации «{ $organisation }».
account-password = Смена пароля
account-password-lead = Смена пароля завершает все другие ваши сеансы: на других компьютерах войдите снова с новым паролем.
account-submit = Сменить пароль
account-changed = Пароль изменён, другие ваши сеансы завершены.

interview-list = Индикаторы для опроса наряду с правовыми вопросами
interview-list-none = Нет: только правовые вопросы
interview-list-hint = Индикаторы дают предварительную оценку, которая показывается отдельно от юридических выводов.
interview-consent-yes = Да, начать
interview-consent-no = Нет
interview-several-hint = По каждому варианту ответьте «{ answer-yes }», «{ answer-no }» или «{ answer-dont-know }»; варианты с ответом «{ answer-dont-know }» останутся открытыми.
interview-date = Дата
interview-number = Число
interview-next = Ответить
interview-rests-on = Положения, на которых основан вопрос:
interview-back = Назад: изменить предыдущий ответ
interview-stop = Остановиться и сохранить сказанное
interview-outcome = Итог интервью
interview-open-case = Открыть случай
interview-save = Сохранить как случай
interview-case-title = Интервью от { $date }

status-secondary = вторичный источник
status-secondary-help = Прочитано в надёжной копии или изложении, источник назван; официальный текст не прочитан.

cases-title = Случаи
cases-new = Новый случай
cases-caption = Случаи организации { $organisation }
cases-id = Случай
cases-revision = Редакция
cases-created = Дата записи
cases-persons = Лица
cases-events = События
cases-none = Случаев пока нет. Начните интервью или опишите случай как путь человека.

case-edit-title = Изменить случай
case-edit-lead = Случай — это путь: его лица, участники и события по порядку (схема случая, версия 2), записанные в формате YAML или JSON. Ошибки показываются с номером строки и столбца; ничего не сохраняется, пока случай не будет прочитан без ошибок.
case-edit-field = Текст случая
case-edit-save = Сохранить новую редакцию
case-edit-cancel = Отмена
case-create = Записать случай
case-meta = Случай { $id }, редакция { $revision }, записан { $created }
case-report = Записка о правовой квалификации
case-edit = Изменить путь
case-record = Записать эту оценку
case-journey = Путь
case-warnings = Предупреждения по случаю:
case-law-changes = Во время пути изменилось законодательство:
case-findings = Выводы
case-person = Лицо { $person }
case-person-findings = Выводы в отношении лица
case-state-findings = Применительно к государству { $state }
case-finding = Вывод
case-value = Значение
case-citations = Положения
case-from-stage = начиная с этапа «{ $stage }»
case-law-of = право по состоянию на { $date }
case-established-by = установлено событиями { $events }
case-explanation = Как получен этот вывод
case-open-questions = Открытые вопросы, ответы на которые определили бы то, что пока не определено, — начиная с самых решающих
case-actors = Участники
case-offences = Преступления, которые мог совершить каждый участник в отношении каждого лица
case-actor = Участник
case-compare = Другое толкование для сравнения
case-compare-with = Доктрина или реформа
case-compare-submit = Сравнить
case-compare-caption = Действующее право и выбранные толкования; сначала различающиеся выводы
case-compare-all = Все доктрины и реформы
case-whom = Лицо и государство
case-current = Действующее право
case-history = История
case-revisions = Редакции
case-by = Автор
case-assessments = Записанные оценки с версией права, на которой основана каждая
case-law-version = Версия права
case-readings = Доктрины и реформы
case-other-law = другая версия права
case-no-assessment = Оценок пока не записано.

report-title = Записка о правовой квалификации
report-print = Печать
report-back = Вернуться к случаю
report-about = Об этой записке
report-case = Случай
report-date = Дата
report-no-doctrine = нет: действующее право
report-caution = В этой записке право применяется в том виде, в каком оно заложено в эту программу. Записка служит подспорьем для решения, а не самим решением. Положение со статусом «исходная статья», «вторичный источник», «по памяти» или «не проверено» не сверено со своим официальным текстом, и его нужно проверить, прежде чем на него опираться.
report-prepared = Составил

stage-recruitment = Вербовка
stage-transit = Транзит
stage-destination = Место назначения
stage-exit = Выезд или возвращение

event-recruitment = вербовка
event-transportation = перевозка
event-transfer = передача
event-harbouring = укрывательство
event-receipt = получение
event-border-crossing = пересечение границы
event-entry = въезд
event-stay = пребывание
event-work = работа
event-exploitation = эксплуатация
event-control = контроль
event-payment = оплата
event-debt = долг
event-exit = выезд
event-escape-or-rescue = побег или освобождение
event-identification = выявление

explain-concept = понятие
explain-rule = правило
explain-exception = исключение
explain-expression = условие
explain-fact = факт
explain-note = примечание
interview-pending = Сеанс завершился, поэтому этот ответ не был сохранён. Проверьте его и отправьте ещё раз.
case-identity = Персональные данные
case-identity-recorded = Ваш просмотр этих данных записан в журнал аудита.
case-identity-names = Имена
case-identity-contacts = Контакты
case-identity-documents = Документы
case-identity-narrative = Рассказ
case-identity-show = Показать персональные данные и свободный текст случая (просмотр записывается)
explain-exception-when = { $rule } применяется, если { $condition }
explain-always = всегда
explain-no-rule = на { $date } нет действующего правила
explain-given = дано: { $option }
case-law-came-into-force = Правило { $rule } ({ $concept }) вступило в силу { $date }, между первым событием ({ $first }) и последним ({ $last }): каждый этап оценивается по праву, действовавшему на его дату.
case-law-ceased = Правило { $rule } ({ $concept }) перестало применяться после { $date }, между первым событием ({ $first }) и последним ({ $last }): каждый этап оценивается по праву, действовавшему на его дату.
case-unchecked-basis = Внимание: вывод основан только на тексте, приведённом по памяти или не найденном; прочитайте положения, прежде чем на него опираться.
