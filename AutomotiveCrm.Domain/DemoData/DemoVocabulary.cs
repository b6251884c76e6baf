using AutomotiveCrm.Domain.Vehicles;

namespace AutomotiveCrm.Domain.DemoData;

/// <summary>A town customers live in: its postcode area, county and landline code (without the trunk 0).</summary>
internal sealed record DemoTown(string Name, string PostcodeArea, int MaxDistrict, string Region, string DialCode);

/// <summary>A model of a make, with the derivatives, bodies and fuels it comes in.</summary>
internal sealed record DemoModel(string Name, string[] Derivatives, BodyType[] Bodies, FuelType[] Fuels, int FromYear);

/// <summary>
/// A make. <see cref="BrandCode"/> is set for the network's brands (vehicles point at the brand); other makes are
/// trade-ins and service customers' cars, stored as text. <see cref="Wmis"/> are the first three VIN characters;
/// those starting 1-5 are North American, where the check digit is mandatory.
/// </summary>
internal sealed record DemoMake(string Name, string? BrandCode, string[] Wmis, DemoModel[] Models);

/// <summary>
/// Word lists for the demo data: British names and places, fictional network brands, ordinary other makes.
/// Telephone numbers and e-mail domains are built elsewhere from reserved or clearly fictional ranges.
/// </summary>
internal static class DemoVocabulary
{
    public static readonly string[] MaleFirstNames =
    [
        "Robert", "William", "James", "Richard", "Michael", "Thomas", "Christopher", "Jonathan", "Alexander", "Samuel",
        "Benjamin", "Daniel", "Matthew", "Anthony", "Edward", "Charles", "Andrew", "Joseph", "Nicholas", "Stephen",
        "Timothy", "Peter", "David", "Frederick", "Henry", "Gregory", "Kenneth", "Ronald", "Philip", "Oliver",
        "George", "Harry", "Jack", "Jacob", "Noah", "Oscar", "Leo", "Arthur", "Muhammad", "Ethan",
        "Liam", "Connor", "Ryan", "Adam", "Lewis", "Callum", "Kieran", "Gareth", "Rhys", "Owen",
        "Ian", "Graham", "Neil", "Colin", "Martin", "Paul", "Simon", "Mark", "Gary", "Wayne",
        "Dean", "Craig", "Stuart", "Alan", "Keith", "Trevor", "Derek", "Barry", "Raymond", "Malcolm",
        "Amir", "Hassan", "Arjun", "Ravi", "Sanjay", "Tariq", "Imran", "Kwame", "Tomasz", "Piotr",
    ];

    public static readonly string[] FemaleFirstNames =
    [
        "Elizabeth", "Margaret", "Katherine", "Jennifer", "Patricia", "Rebecca", "Victoria", "Susan", "Deborah", "Jacqueline",
        "Catherine", "Josephine", "Abigail", "Samantha", "Alexandra", "Charlotte", "Eleanor", "Penelope", "Christine", "Natalie",
        "Jessica", "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya",
        "Ella", "Poppy", "Chloe", "Evie", "Hannah", "Lucy", "Megan", "Holly", "Laura", "Emma",
        "Sarah", "Rachel", "Claire", "Helen", "Joanne", "Nicola", "Karen", "Julie", "Tracey", "Angela",
        "Gillian", "Fiona", "Alison", "Lorraine", "Janet", "Pauline", "Sandra", "Maureen", "Brenda", "Carol",
        "Aisha", "Fatima", "Priya", "Anjali", "Zara", "Amira", "Siobhan", "Niamh", "Agnieszka", "Zoë",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
        "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
        "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
        "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
        "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
        "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart",
        "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
        "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
        "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
        "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe",
        "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland",
        "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson", "Bird",
        "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop",
        "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls",
        "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor",
        "Nowak", "Kowalski", "Okafor", "Mensah", "Nguyen", "Chen", "Wong", "Fernandes", "da Silva", "McLaughlin",
    ];

    public static readonly string[] MiddleNames =
    [
        "James", "John", "Michael", "David", "Alexander", "Edward", "Thomas", "Louise", "Marie", "Jane",
        "Anne", "Elizabeth", "Rose", "Grace", "Mary", "Charles", "Peter", "Robert", "May", "Victoria",
    ];

    /// <summary>Formal first names and what people also call themselves; planted duplicates use these.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Nicknames = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Robert"] = ["Bob", "Rob", "Bobby"],
        ["William"] = ["Bill", "Will", "Billy"],
        ["James"] = ["Jim", "Jimmy", "Jamie"],
        ["Richard"] = ["Dick", "Rich", "Ricky"],
        ["Michael"] = ["Mike", "Mick"],
        ["Thomas"] = ["Tom", "Tommy"],
        ["Christopher"] = ["Chris", "Kit"],
        ["Jonathan"] = ["Jon", "Jonny"],
        ["Alexander"] = ["Alex", "Sandy"],
        ["Samuel"] = ["Sam", "Sammy"],
        ["Benjamin"] = ["Ben", "Benny"],
        ["Daniel"] = ["Dan", "Danny"],
        ["Matthew"] = ["Matt"],
        ["Anthony"] = ["Tony", "Ant"],
        ["Edward"] = ["Ed", "Ted", "Eddie"],
        ["Charles"] = ["Charlie", "Chas"],
        ["Andrew"] = ["Andy", "Drew"],
        ["Joseph"] = ["Joe", "Joey"],
        ["Nicholas"] = ["Nick", "Nicky"],
        ["Stephen"] = ["Steve"],
        ["Timothy"] = ["Tim"],
        ["Peter"] = ["Pete"],
        ["David"] = ["Dave", "Davey"],
        ["Frederick"] = ["Fred", "Freddie"],
        ["Henry"] = ["Harry", "Hal"],
        ["Gregory"] = ["Greg"],
        ["Kenneth"] = ["Ken", "Kenny"],
        ["Ronald"] = ["Ron", "Ronnie"],
        ["Philip"] = ["Phil"],
        ["Oliver"] = ["Ollie"],
        ["Elizabeth"] = ["Liz", "Beth", "Lizzie", "Betty"],
        ["Margaret"] = ["Maggie", "Peggy", "Meg"],
        ["Katherine"] = ["Kate", "Kathy", "Katie"],
        ["Jennifer"] = ["Jen", "Jenny"],
        ["Patricia"] = ["Pat", "Trish", "Patty"],
        ["Rebecca"] = ["Becky", "Becca"],
        ["Victoria"] = ["Vicky", "Tori"],
        ["Susan"] = ["Sue", "Susie"],
        ["Deborah"] = ["Debbie", "Deb"],
        ["Jacqueline"] = ["Jackie"],
        ["Catherine"] = ["Cathy", "Kate", "Cath"],
        ["Josephine"] = ["Jo", "Josie"],
        ["Abigail"] = ["Abby", "Abi"],
        ["Samantha"] = ["Sam", "Sammy"],
        ["Alexandra"] = ["Alex", "Lexi"],
        ["Charlotte"] = ["Lottie", "Charlie"],
        ["Eleanor"] = ["Ellie", "Nell"],
        ["Penelope"] = ["Penny"],
        ["Christine"] = ["Chris", "Chrissie"],
        ["Natalie"] = ["Nat"],
        ["Jessica"] = ["Jess", "Jessie"],
    };

    public static readonly string[] MaleTitles = ["Mr", "Mr", "Mr", "Mr", "Mr", "Mr", "Mr", "Mr", "Dr", "Mr"];
    public static readonly string[] FemaleTitles = ["Mrs", "Ms", "Miss", "Mrs", "Ms", "Mrs", "Miss", "Dr", "Mrs", "Ms"];

    public static readonly string[] Streets =
    [
        "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street", "London Road", "Victoria Road",
        "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "The Crescent", "Queens Road", "New Road",
        "Grange Road", "Kings Road", "Alexandra Road", "Mill Lane", "Albert Road", "Windsor Road", "The Green", "Highfield Road",
        "Springfield Road", "School Lane", "Stanley Road", "North Street", "Broadway", "Richmond Road", "York Road", "Chester Road",
        "Elm Grove", "Oak Avenue", "Beech Close", "Willow Way", "Meadow View", "Orchard Close", "Brook Lane", "Holly Drive",
        "Moor Lane", "Westfield Road", "Clarence Street", "Market Place", "Bridge Street", "West Street", "Castle Street", "Chapel Lane",
        "Hawthorn Road", "Ashfield Crescent", "Rectory Lane", "Sandy Lane", "Priory Road", "Mount Pleasant", "Cavendish Road", "Kingsway",
    ];

    public static readonly string[] Line2Prefixes = ["Flat 1", "Flat 2", "Flat 3", "Flat 4", "Flat 5", "Flat 6", "Apartment 12", "Unit 3"];

    /// <summary>Towns by dealer-group region: index 0 Yorkshire (Newstar), 1 Greater Manchester (Pennine), 2 Thames Valley; 3 elsewhere.</summary>
    public static readonly DemoTown[][] TownsByRegion =
    [
        [
            new("Leeds", "LS", 29, "West Yorkshire", "113"),
            new("York", "YO", 32, "North Yorkshire", "1904"),
            new("Harrogate", "HG", 5, "North Yorkshire", "1423"),
            new("Bradford", "BD", 24, "West Yorkshire", "1274"),
            new("Wakefield", "WF", 17, "West Yorkshire", "1924"),
        ],
        [
            new("Manchester", "M", 40, "Greater Manchester", "161"),
            new("Bolton", "BL", 7, "Greater Manchester", "1204"),
            new("Oldham", "OL", 16, "Greater Manchester", "161"),
            new("Stockport", "SK", 17, "Greater Manchester", "161"),
            new("Warrington", "WA", 16, "Cheshire", "1925"),
        ],
        [
            new("Reading", "RG", 45, "Berkshire", "118"),
            new("Slough", "SL", 9, "Berkshire", "1753"),
            new("Oxford", "OX", 49, "Oxfordshire", "1865"),
            new("Swindon", "SN", 26, "Wiltshire", "1793"),
            new("High Wycombe", "HP", 23, "Buckinghamshire", "1494"),
        ],
        [
            new("London", "SW", 20, "Greater London", "20"),
            new("Birmingham", "B", 99, "West Midlands", "121"),
            new("Sheffield", "S", 36, "South Yorkshire", "114"),
            new("Liverpool", "L", 40, "Merseyside", "151"),
            new("Bristol", "BS", 49, "Bristol", "117"),
            new("Nottingham", "NG", 34, "Nottinghamshire", "115"),
            new("Leicester", "LE", 19, "Leicestershire", "116"),
            new("Newcastle upon Tyne", "NE", 13, "Tyne and Wear", "191"),
        ],
    ];

    /// <summary>Customers abroad: (city, postcode pattern where # is a digit and @ a letter, country).</summary>
    public static readonly (string City, string PostcodePattern, string Country)[] ForeignTowns =
    [
        ("Dublin", "D0# @@##", "IE"),
        ("Cork", "T12 @@##", "IE"),
        ("Paris", "750##", "FR"),
        ("Lyon", "6900#", "FR"),
        ("Amsterdam", "10## @@", "NL"),
        ("Düsseldorf", "402##", "DE"),
        ("Málaga", "290##", "ES"),
    ];

    /// <summary>Letters of the inward postcode code: C, I, K, M, O and V are never used there.</summary>
    public const string PostcodeInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

    public static readonly string[] EmailDomains = ["example.com", "example.org", "example.net", "mail.example", "post.example"];

    public static readonly string[] CompanySuffixes =
    [
        "Ltd", "Limited", "& Sons Ltd", "Logistics Ltd", "Building Services Ltd", "Plumbing & Heating", "Electrical Ltd",
        "Consulting Ltd", "Landscapes", "Joinery Ltd", "Removals", "Catering Ltd", "Vets", "Dental Practice", "Estates LLP",
    ];

    public static readonly string[] Colours =
    [
        "Black", "White", "Silver", "Grey", "Blue", "Red", "Green", "Orange", "Yellow", "Brown",
        "Polar White", "Obsidian Black", "Moonstone Grey", "Racing Green", "Flame Red", "Ocean Blue", "Bronze", "Pearl White",
    ];

    /// <summary>UK DVLA two-letter memory tags are region letters; any pair except I, Q and Z is accepted here.</summary>
    public const string PlateLetters = "ABCDEFGHJKLMNOPRSTUVWXY";

    private static readonly FuelType[] PetrolDiesel = [FuelType.Petrol, FuelType.Diesel];
    private static readonly FuelType[] Mainstream = [FuelType.Petrol, FuelType.Petrol, FuelType.Diesel, FuelType.Hybrid];
    private static readonly FuelType[] Electrified = [FuelType.Hybrid, FuelType.PluginHybrid, FuelType.Electric];
    private static readonly FuelType[] ElectricOnly = [FuelType.Electric];

    /// <summary>The network's four brands (fictional) followed by makes the network does not sell.</summary>
    public static readonly DemoMake[] Makes =
    [
        new("Arden", "ARDEN", ["SAR", "SAD", "1AR"],
        [
            new("Ridge", ["1.5 SE", "1.5 SE Nav", "2.0 Sport", "2.0 Sport Auto"], [BodyType.Suv], Mainstream, 2015),
            new("Vale", ["1.0 S", "1.2 SE", "1.2 SE Auto"], [BodyType.Hatchback], PetrolDiesel, 2014),
            new("Spire", ["2.0 Executive", "2.0 Executive Auto", "e-Spire Long Range"], [BodyType.Saloon, BodyType.Estate], Mainstream, 2016),
            new("Crest", ["Standard Range", "Long Range", "Performance"], [BodyType.Suv, BodyType.Hatchback], ElectricOnly, 2020),
        ]),
        new("Belmont", "BELMONT", ["WBE", "WB9", "4BM"],
        [
            new("B3", ["118i Sport", "120d M Sport", "M135i"], [BodyType.Hatchback, BodyType.Saloon], PetrolDiesel, 2014),
            new("B5", ["520d SE", "530e M Sport", "540i xDrive"], [BodyType.Saloon, BodyType.Estate], Mainstream, 2015),
            new("X4", ["xDrive20d", "xDrive30e", "M40i"], [BodyType.Suv, BodyType.Coupe], Electrified, 2017),
            new("Tourer", ["216d Active", "220i Luxury"], [BodyType.Mpv], PetrolDiesel, 2014),
        ]),
        new("Caledon", "CALEDON", ["SCA", "SC8", "2CL"],
        [
            new("Loch", ["1.6 Classic", "1.6 Highland", "2.0 Highland 4x4"], [BodyType.Suv], PetrolDiesel, 2014),
            new("Glen", ["1.4 Life", "1.4 Style", "e-Glen"], [BodyType.Hatchback], Mainstream, 2016),
            new("Ben", ["2.2 Commercial", "2.2 Double Cab"], [BodyType.Pickup, BodyType.Van], [FuelType.Diesel], 2014),
            new("Firth", ["1.8 Hybrid Design", "2.5 Hybrid Excel"], [BodyType.Estate, BodyType.Saloon], Electrified, 2018),
        ]),
        new("Dovern", "DOVERN", ["VD1", "VD7", "5DV"],
        [
            new("D1", ["Pure", "Pure Plus", "Sport"], [BodyType.Hatchback, BodyType.Convertible], Mainstream, 2014),
            new("D2", ["Touring", "Touring Plus"], [BodyType.Estate, BodyType.Suv], Electrified, 2019),
            new("Evo", ["GT", "GT Line"], [BodyType.Coupe], [FuelType.Petrol], 2016),
            new("Cargo", ["L1H1", "L2H2", "e-Cargo"], [BodyType.Van], [FuelType.Diesel, FuelType.Electric], 2015),
        ]),
        new("Ford", null, ["WF0", "1FA", "3FA"],
        [
            new("Fiesta", ["1.0 EcoBoost Zetec", "1.1 Trend"], [BodyType.Hatchback], [FuelType.Petrol], 2014),
            new("Focus", ["1.5 TDCi Titanium", "1.0 EcoBoost ST-Line"], [BodyType.Hatchback, BodyType.Estate], PetrolDiesel, 2014),
            new("Transit Custom", ["2.0 EcoBlue 130 Trend"], [BodyType.Van], [FuelType.Diesel], 2014),
        ]),
        new("Vauxhall", null, ["W0L", "W0V"],
        [
            new("Corsa", ["1.2 SE", "1.2 Griffin"], [BodyType.Hatchback], [FuelType.Petrol], 2014),
            new("Astra", ["1.4T SRi", "1.6 CDTi Elite"], [BodyType.Hatchback, BodyType.Estate], PetrolDiesel, 2014),
        ]),
        new("Volkswagen", null, ["WVW", "WVG", "1VW"],
        [
            new("Golf", ["1.5 TSI Life", "2.0 TDI GTD", "1.4 GTE"], [BodyType.Hatchback, BodyType.Estate], Mainstream, 2014),
            new("Polo", ["1.0 TSI Match"], [BodyType.Hatchback], [FuelType.Petrol], 2014),
            new("Tiguan", ["2.0 TDI SEL 4Motion"], [BodyType.Suv], [FuelType.Diesel], 2016),
        ]),
        new("Toyota", null, ["SB1", "JTD", "4T1"],
        [
            new("Yaris", ["1.5 Hybrid Icon"], [BodyType.Hatchback], [FuelType.Hybrid], 2014),
            new("Corolla", ["1.8 Hybrid Design"], [BodyType.Hatchback, BodyType.Estate], [FuelType.Hybrid], 2019),
            new("RAV4", ["2.5 Hybrid Excel AWD"], [BodyType.Suv], [FuelType.Hybrid, FuelType.PluginHybrid], 2016),
        ]),
        new("Nissan", null, ["SJN", "JN1", "1N4"],
        [
            new("Qashqai", ["1.3 DIG-T N-Connecta"], [BodyType.Suv], [FuelType.Petrol], 2014),
            new("Leaf", ["40kWh Acenta", "62kWh e+ Tekna"], [BodyType.Hatchback], ElectricOnly, 2014),
        ]),
        new("Kia", null, ["KNA", "U5Y", "5XY"],
        [
            new("Sportage", ["1.6 T-GDi GT-Line"], [BodyType.Suv], Mainstream, 2014),
            new("Niro", ["1.6 GDi Hybrid 2", "e-Niro 4+"], [BodyType.Suv], Electrified, 2017),
        ]),
    ];

    public const int NetworkMakeCount = 4;

    /// <summary>VIN characters: digits and letters without I, O and Q.</summary>
    public const string VinCharacters = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

    /// <summary>ISO 3779 model-year codes (position 10) from 2010 on; the cycle of 30 skips I, O, Q, U, Z and 0.</summary>
    public static char ModelYearCode(int year)
    {
        const string codes = "ABCDEFGHJKLMNPRSTVWXY123456789";
        return codes[(year - 2010) % codes.Length];
    }

    /// <summary>Evidence texts of consent statements, by source.</summary>
    public static readonly string[] FormEvidence =
    [
        "Web form 'Keep me informed', wording v3",
        "Test drive booking form, consent box ticked",
        "Service booking form, wording v2",
    ];

    public static readonly string[] DeskEvidence =
    [
        "Signed consent form scanned to DMS",
        "Customer agreed at handover",
        "Told service advisor by phone",
    ];
}
