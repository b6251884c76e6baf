namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// A small table of common English given-name variants (Bob for Robert, Liz for Elizabeth). Each name maps to a
/// canonical form; two first names agree as nicknames when their canonical forms are the same. Deliberately short:
/// only well-established pairs, so the nickname level stays strong evidence.
/// </summary>
public static class Nicknames
{
    private static readonly string[][] Groups =
    [
        ["robert", "rob", "bob", "bobby", "robbie", "bert"],
        ["william", "will", "bill", "billy", "willie", "liam"],
        ["richard", "rich", "rick", "ricky", "dick", "richie"],
        ["james", "jim", "jimmy", "jamie"],
        ["john", "jon", "jack", "johnny", "jonny"],
        ["jonathan", "jon", "jonny"],
        ["michael", "mike", "mick", "mickey", "mikey"],
        ["thomas", "tom", "tommy"],
        ["christopher", "chris", "kit"],
        ["christine", "chris", "chrissie", "christina", "kristina"],
        ["nicholas", "nick", "nicky"],
        ["anthony", "tony", "ant"],
        ["andrew", "andy", "drew"],
        ["daniel", "dan", "danny"],
        ["david", "dave", "davy"],
        ["edward", "ed", "eddie", "ted", "ned"],
        ["joseph", "joe", "joey"],
        ["matthew", "matt"],
        ["peter", "pete"],
        ["samuel", "sam", "sammy"],
        ["stephen", "steve", "steven", "stevie"],
        ["timothy", "tim", "timmy"],
        ["benjamin", "ben", "benny"],
        ["alexander", "alex", "sandy", "alec"],
        ["charles", "charlie", "chuck", "chas"],
        ["frederick", "fred", "freddie"],
        ["henry", "harry", "hank"],
        ["patrick", "pat", "paddy"],
        ["philip", "phil", "phillip"],
        ["gregory", "greg"],
        ["kenneth", "ken", "kenny"],
        ["ronald", "ron", "ronnie"],
        ["donald", "don", "donnie"],
        ["lawrence", "larry", "laurie"],
        ["leonard", "len", "lenny", "leo"],
        ["raymond", "ray"],
        ["gerald", "gerry", "jerry"],
        ["douglas", "doug"],
        ["zachary", "zach", "zac"],
        ["joshua", "josh"],
        ["nathan", "nate", "nathaniel"],
        ["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "elise"],
        ["margaret", "maggie", "meg", "peggy", "marge", "margo"],
        ["katherine", "kate", "katie", "kathy", "cathy", "catherine", "kath", "kathryn", "kat"],
        ["jennifer", "jen", "jenny"],
        ["rebecca", "becky", "becca"],
        ["susan", "sue", "susie", "suzanne"],
        ["deborah", "debbie", "deb", "debra"],
        ["patricia", "patty", "trish", "tricia"],
        ["victoria", "vicky", "tori"],
        ["alexandra", "alex", "sandra", "lexi"],
        ["samantha", "sam", "sammy"],
        ["jessica", "jess", "jessie"],
        ["abigail", "abby", "abbie", "gail"],
        ["dorothy", "dot", "dottie"],
        ["eleanor", "ellie", "nell", "nora"],
        ["helen", "ellen", "nell"],
        ["jacqueline", "jackie"],
        ["josephine", "jo", "josie"],
        ["judith", "judy"],
        ["madeline", "maddie", "madeleine", "madison"],
        ["natalie", "nat"],
        ["pamela", "pam"],
        ["teresa", "terri", "tess", "theresa"],
        ["amanda", "mandy"],
        ["ann", "anne", "annie", "anna", "hannah"],
        ["mary", "molly", "polly", "mae"],
        ["sarah", "sara", "sally"],
        ["caroline", "carol", "carrie", "carolyn"],
        ["frances", "fran", "frankie"],
        ["francis", "frank", "frankie"],
    ];

    private static readonly Dictionary<string, string> Canonical = Build();

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            foreach (var name in group)
            {
                // A name in two groups (chris, sam, alex) keeps its first group; the level also checks group by group.
                map.TryAdd(name, group[0]);
            }
        }

        return map;
    }

    /// <summary>The canonical form of a normalised first name, or the name itself.</summary>
    public static string CanonicalOf(string name) => Canonical.TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>Whether two different normalised first names are known variants of one name.</summary>
    public static bool AreVariants(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        foreach (var group in Groups)
        {
            if (Array.IndexOf(group, a) >= 0 && Array.IndexOf(group, b) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
