-- The income and expense categories of the financien sheet, in the order of the template.
insert into finance_category values
    ('verhuur',                   'inkomsten', 'verdiend',      'Verhuur',                    'Rent',                         1),
    ('horeca',                    'inkomsten', 'verdiend',      'Horeca',                     'Catering',                     2),
    ('diensten',                  'inkomsten', 'verdiend',      'Diensten',                   'Services',                     3),
    ('verkoop',                   'inkomsten', 'verdiend',      'Verkoop',                    'Sales',                        4),
    ('deelnemersbijdragen',       'inkomsten', 'verdiend',      'Deelnemersbijdragen',        'Participant fees',             5),
    ('subsidie_gemeente',         'inkomsten', 'gesubsidieerd', 'Subsidie gemeente',          'Municipal subsidy',            6),
    ('bijdrage_woningcorporatie', 'inkomsten', 'gesubsidieerd', 'Bijdrage woningcorporatie',  'Housing corporation grant',    7),
    ('fondsen',                   'inkomsten', 'gesubsidieerd', 'Fondsen',                    'Foundations',                  8),
    ('donaties',                  'inkomsten', 'gesubsidieerd', 'Donaties',                   'Donations',                    9),
    ('overige_inkomsten',         'inkomsten', 'verdiend',      'Overige inkomsten',          'Other income',                10),
    ('personeelskosten',          'kosten',    null,            'Personeelskosten',           'Staff costs',                 11),
    ('huisvestingskosten',        'kosten',    null,            'Huisvestingskosten',         'Housing costs',               12),
    ('activiteitenkosten',        'kosten',    null,            'Activiteitenkosten',         'Activity costs',              13),
    ('overige_kosten',            'kosten',    null,            'Overige kosten',             'Other costs',                 14);
