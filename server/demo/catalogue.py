"""The Swedish strings the demo data is made of, in one place (`seed.py` and `visits.py`).

Names are common Swedish names combined at random: no real person is meant. Activities,
goals and places follow the domain's sources (boendestöd and CM in Stockholm).
"""

# Teams are geographic hubs; the homelessness unit only orders, it has no demo team.
DISTRICTS = (
    "Södermalm", "Bromma", "Enskede-Årsta-Vantör", "Farsta", "Hägersten-Älvsjö",
    "Hässelby-Vällingby", "Järva", "Kungsholmen", "Norra innerstaden", "Skarpnäck",
    "Skärholmen",
)
HOMELESSNESS_UNIT = "Socialförvaltningens område hemlöshet"
# The districts orders come from: Stockholm's stadsdelsområden as the city's survey of
# December 2025 lists them (seed 000), and the homelessness unit, which orders city-wide.
ORDERING_DISTRICTS = (*DISTRICTS, HOMELESSNESS_UNIT)
TEAM_NAMES = {"Södermalm": "Team Söder", "Norra innerstaden": "Team Innerstaden"}
# Each district's number for reports of concern (orosanmälan) in the demo: from the range
# PTS reserves for fiction in Stockholm, 08-465 004 00 to 08-465 004 99, so no demo call can
# reach a real person. Never a real number here.
FICTION_PHONES = tuple(f"08-465 004 {n:02d}" for n in range(100))
DISTRICT_PHONES = {district: FICTION_PHONES[n + 1] for n, district in enumerate(ORDERING_DISTRICTS)}

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Sofia",
    "Aisha", "Fatima", "Leila", "Nadia", "Marjatta", "Lars", "Mikael", "Johan", "Anders",
    "Per", "Erik", "Peter", "Jonas", "Mats", "Ali", "Ahmed", "Mehmet", "Dragan", "Pekka",
    "Tomas", "Hassan", "Kent", "Ulla", "Birgitta", "Roger", "Jenny",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
    "Berg", "Holm", "Sandberg", "Ek", "Mohammed", "Ali", "Hussein", "Yilmaz", "Korhonen",
    "Petrović", "Nieminen", "Abdi", "Strand", "Lund", "Forsberg", "Wikström",
)

# name -> (how it is done with the client, how often): the plan's "how" and frequency.
HOUSING_ACTIVITIES = {
    "Tvätt": ("Vi bokar tvättid och tvättar tillsammans i tvättstugan.", "Varannan vecka"),
    "Städning": ("Vi gör en städlista och städar ett rum i taget tillsammans.", "Varje vecka"),
    "Ekonomi: post och räkningar": (
        "Vi öppnar posten tillsammans och betalar räkningarna i bankappen.", "Varje vecka"),
    "Ekonomi: budget": ("Vi gör en månadsbudget och stämmer av den efter lön/ersättning.",
                        "En gång i månaden"),
    "Inköp": ("Vi skriver inköpslista hemma och handlar tillsammans.", "Varje vecka"),
    "Matlagning": ("Vi lagar en enkel rätt tillsammans och planerar veckans mat.", "Varje vecka"),
    "Personlig hygien": ("Påminnelse per telefon; vi pratar om rutiner vid besöket.",
                         "Varje vecka"),
    "Kontakt med psykiatrin": (
        "Påminnelse inför besök; brukaren ringer själv med stöd vid behov.", "Vid behov"),
    "Kontakt med vårdcentralen": ("Vi bokar tid via 1177 tillsammans.", "Vid behov"),
    "Bryta isolering": ("Promenad eller kafébesök; vi letar träffpunkter i närområdet.",
                        "Varje vecka"),
    "Hitta sysselsättning": ("Vi besöker träffpunkter och daglig verksamhet tillsammans.",
                             "Varannan vecka"),
    "Boenderegler och kontakt med hyresvärden": (
        "Vi går igenom brev från hyresvärden och ringer vid behov.", "Vid behov"),
    "Digitala tjänster: BankID och 1177": (
        "Vi övar på BankID, 1177 och Mina sidor i telefonen.", "Varannan vecka"),
    "Veckoplanering": ("Vi lägger in veckans tider i kalendern i telefonen.", "Varje vecka"),
}
CM_ACTIVITIES = {
    "Följa med till Försäkringskassan": (
        "Vi förbereder frågorna och går dit tillsammans.", "Vid behov"),
    "SIP-möte": ("CM kallar psykiatrin och beroendevården och förbereder brukaren.",
                 "Var tredje månad"),
    "Ansöka om ID-kort": ("Vi fyller i ansökan och följer med till Skatteverket.", "En gång"),
    "Motiverande samtal (MI)": ("Samtal där brukaren är, med fokus på brukarens egna mål.",
                                "Varje vecka"),
    "Följa med till beroendemottagningen": (
        "Påminnelse dagen före och sällskap till mottagningen.", "Vid behov"),
    "Kontakt med Kronofogden": ("Vi går igenom skulderna och ringer Kronofogden tillsammans.",
                                "Vid behov"),
    "Söka boende": ("Vi håller kontakt med boendehandläggaren och bostadskön.",
                    "Varannan vecka"),
    "Påminna om tider": ("SMS och samtal dagen före; personalen på boendet påminner också.",
                         "Inför varje tid"),
    "Bankärenden": ("Vi följer med till banken och ordnar BankID.", "Vid behov"),
    "Stödsamtal om våld": ("Samtal om trygghet; vi erbjuder kontakt med kvinnojour.",
                           "Vid behov"),
}

# life area -> (goal, its subgoals). The DUR areas each service usually works with.
GOALS = {
    "housing": ("Få och behålla ett eget boende",
                ["Betala hyran i tid varje månad", "Inga störningsanmälningar under perioden"]),
    "family_and_relations": ("Ha kontakt med sin familj", ["Ringa sin syster varje vecka"]),
    "work_studies_occupation": ("Ha en meningsfull sysselsättning",
                                ["Besöka en träffpunkt två gånger i månaden"]),
    "economy": ("Ha kontroll över sin ekonomi",
                ["Öppna posten varje vecka", "Boka tid hos budget- och skuldrådgivningen"]),
    "interests": ("Ha en fritidsaktivitet", ["Prova en aktivitet på biblioteket"]),
    "mental_health": ("Må bättre psykiskt", ["Gå på sina besök på psykiatrisk mottagning"]),
    "physical_health": ("Ta hand om sin fysiska hälsa",
                        ["Boka tid på vårdcentralen", "Gå en promenad tre gånger i veckan"]),
    "alcohol_drugs_medicines": ("Minska sitt drickande",
                                ["Påbörja kontakt med beroendemottagningen"]),
    "everyday_activities": ("Klara sin vardag i hemmet",
                            ["Tvätta själv efter påminnelse", "Städa köket varje vecka"]),
}
GOAL_AREAS = {
    "housing_support": ["everyday_activities", "economy", "housing", "work_studies_occupation",
                        "family_and_relations", "interests", "physical_health"],
    "cm": ["housing", "mental_health", "alcohol_drugs_medicines", "economy", "physical_health",
           "family_and_relations"],
}

CM_WHEREABOUTS = (
    "Härbärget Lilla Sköndal", "Stadsmissionens dagverksamhet", "Natthärbärge, byter ofta",
    "Hos en vän, tillfälligt", "Vårdavdelning, psykiatrin", "Stödboende",
    "Sover ute, syns ofta vid Medborgarplatsen", "Akutboende",
)
HOUSING_WHEREABOUTS = (
    "Egen lägenhet", "Egen lägenhet", "Egen lägenhet (andrahand)", "Träningslägenhet",
    "Försökslägenhet",
)
CONTACT_NOTES = (
    "Nås bäst på förmiddagen.",
    "Byter ofta telefon – fråga personalen på härbärget.",
    "Svarar inte på okända nummer, skicka SMS först.",
    "Ring på dörren två gånger.",
    "Ring dagverksamheten om hen inte svarar.",
    "Katt i lägenheten.",
)
HOUSING_PLACES = ("Hemma", "Hemma", "Hemma", "Tvättstugan", "Mataffären", "Apoteket",
                  "Vårdcentralen")
CM_PLACES = ("Dagverksamheten", "Försäkringskassans servicekontor", "Psykiatrisk mottagning",
             "Beroendemottagningen", "Kafé", "Socialkontoret", "Utanför tunnelbanan")
NOT_DONE_REASONS = ("Orkade inte i dag.", "Hann inte.", "Ville inte i dag.",
                    "Ingen post hade kommit.")
NOTES = (
    "Gick bra, brukaren var på gott humör.",
    "Sorterade posten tillsammans, två räkningar betalda.",
    "Brukaren berättade att det varit en tung vecka.",
    "Följde med till mottagningen, ny tid bokad.",
    "Pratade om att söka sysselsättning.",
    "Brukaren vill byta tid till eftermiddagar.",
)

# A field worker's own reminders: (text, about one of their clients, days from today, time).
# One is overdue (yesterday), one is later today, two are coming.
PERSONAL_REMINDERS = (
    ("Ring psykiatrin och boka om tiden.", True, -1, "16:00"),
    ("Skicka läkarintyget till Försäkringskassan.", True, 0, "15:00"),
    ("Hämta nya nycklar på kontoret.", False, 1, "09:00"),
    ("Påminn om hyran innan den 25:e.", True, 3, "10:30"),
)
