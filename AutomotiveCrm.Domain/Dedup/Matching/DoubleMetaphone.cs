using System.Text;

namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// Double Metaphone phonetic codes (after Lawrence Philips' algorithm): a primary code and an alternate code for
/// names whose pronunciation has two common readings (Schmidt: XMT / SMT). Codes are at most four characters.
/// Written for names in Latin script after <see cref="MatchText.Fold"/>; the most frequent rules of the original
/// are implemented, the long tail of rare Romance and Slavic exceptions is not.
/// </summary>
public static class DoubleMetaphone
{
    private const int MaxLength = 4;

    public static (string Primary, string Alternate) Encode(string? word)
    {
        if (string.IsNullOrEmpty(word))
        {
            return ("", "");
        }

        var w = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (char.IsAsciiLetter(c))
            {
                w.Append(char.ToUpperInvariant(c));
            }
        }

        var s = w.ToString();
        if (s.Length == 0)
        {
            return ("", "");
        }

        var state = new Coder(s);
        state.Run();
        return (state.Primary, state.Alternate);
    }

    /// <summary>The primary code only.</summary>
    public static string Primary(string? word) => Encode(word).Primary;

    private sealed class Coder(string s)
    {
        private readonly StringBuilder _primary = new();
        private readonly StringBuilder _alternate = new();
        private readonly int _last = s.Length - 1;
        private readonly bool _slavoGermanic = s.Contains('W', StringComparison.Ordinal) || s.Contains('K', StringComparison.Ordinal)
            || s.Contains("CZ", StringComparison.Ordinal) || s.Contains("WITZ", StringComparison.Ordinal);

        public string Primary => Cut(_primary);
        public string Alternate => Cut(_alternate);

        private static string Cut(StringBuilder b) => b.Length > MaxLength ? b.ToString(0, MaxLength) : b.ToString();

        private char At(int i) => i >= 0 && i < s.Length ? s[i] : '\0';

        private bool Is(int start, params string[] options)
        {
            if (start < 0)
            {
                return false;
            }

            foreach (var option in options)
            {
                if (start + option.Length <= s.Length && string.CompareOrdinal(s, start, option, 0, option.Length) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Vowel(char c) => c is 'A' or 'E' or 'I' or 'O' or 'U' or 'Y';

        private void Add(string main) => Add(main, main);

        private void Add(string main, string alternate)
        {
            _primary.Append(main);
            _alternate.Append(alternate);
        }

        public void Run()
        {
            var i = 0;
            if (Is(0, "GN", "KN", "PN", "WR", "PS"))
            {
                i = 1;
            }

            if (At(0) == 'X')
            {
                Add("S");
                i = 1;
            }

            while ((_primary.Length < MaxLength || _alternate.Length < MaxLength) && i <= _last)
            {
                i = Step(i);
            }
        }

        private int Step(int i)
        {
            var c = s[i];
            switch (c)
            {
                case 'A' or 'E' or 'I' or 'O' or 'U' or 'Y':
                    if (i == 0)
                    {
                        Add("A");
                    }

                    return i + 1;
                case 'B':
                    Add("P");
                    return At(i + 1) == 'B' ? i + 2 : i + 1;
                case 'C':
                    return C(i);
                case 'D':
                    if (Is(i, "DG") && Is(i + 2, "I", "E", "Y"))
                    {
                        Add("J");
                        return i + 3;
                    }

                    Add("T");
                    return Is(i, "DT", "DD") ? i + 2 : i + 1;
                case 'F':
                    Add("F");
                    return At(i + 1) == 'F' ? i + 2 : i + 1;
                case 'G':
                    return G(i);
                case 'H':
                    if ((i == 0 || Vowel(At(i - 1))) && Vowel(At(i + 1)))
                    {
                        Add("H");
                        return i + 2;
                    }

                    return i + 1;
                case 'J':
                    if (Is(i, "JOSE") || Is(0, "SAN "))
                    {
                        Add("H");
                        return i + 1;
                    }

                    if (i == 0)
                    {
                        Add("J", "A");
                    }
                    else if (Vowel(At(i - 1)) && !_slavoGermanic && (At(i + 1) is 'A' or 'O'))
                    {
                        Add("J", "H");
                    }
                    else if (i == _last)
                    {
                        Add("J", "");
                    }
                    else
                    {
                        Add("J");
                    }

                    return At(i + 1) == 'J' ? i + 2 : i + 1;
                case 'K':
                    Add("K");
                    return At(i + 1) == 'K' ? i + 2 : i + 1;
                case 'L':
                    if (At(i + 1) == 'L')
                    {
                        // Spanish -ILLO / -ILLA: the double L is silent in the alternate reading.
                        if ((i == s.Length - 3 && Is(i - 1, "ILLO", "ILLA", "ALLE")) || ((Is(_last - 1, "AS", "OS") || Is(_last, "A", "O")) && Is(i - 1, "ALLE")))
                        {
                            Add("L", "");
                            return i + 2;
                        }

                        Add("L");
                        return i + 2;
                    }

                    Add("L");
                    return i + 1;
                case 'M':
                    Add("M");
                    return (Is(i - 1, "UMB") && (i + 1 == _last || Is(i + 2, "ER"))) || At(i + 1) == 'M' ? i + 2 : i + 1;
                case 'N':
                    Add("N");
                    return At(i + 1) == 'N' ? i + 2 : i + 1;
                case 'P':
                    if (At(i + 1) == 'H')
                    {
                        Add("F");
                        return i + 2;
                    }

                    Add("P");
                    return At(i + 1) is 'P' or 'B' ? i + 2 : i + 1;
                case 'Q':
                    Add("K");
                    return At(i + 1) == 'Q' ? i + 2 : i + 1;
                case 'R':
                    // French final -IER: the R is silent in the primary reading.
                    if (i == _last && !_slavoGermanic && Is(i - 2, "IE") && !Is(i - 4, "ME", "MA"))
                    {
                        Add("", "R");
                    }
                    else
                    {
                        Add("R");
                    }

                    return At(i + 1) == 'R' ? i + 2 : i + 1;
                case 'S':
                    return S(i);
                case 'T':
                    return T(i);
                case 'V':
                    Add("F");
                    return At(i + 1) == 'V' ? i + 2 : i + 1;
                case 'W':
                    return W(i);
                case 'X':
                    if (!(i == _last && (Is(i - 3, "IAU", "EAU") || Is(i - 2, "AU", "OU"))))
                    {
                        Add("KS");
                    }

                    return At(i + 1) is 'C' or 'X' ? i + 2 : i + 1;
                case 'Z':
                    if (At(i + 1) == 'H')
                    {
                        Add("J");
                        return i + 2;
                    }

                    if (Is(i + 1, "ZO", "ZI", "ZA") || (_slavoGermanic && i > 0 && At(i - 1) != 'T'))
                    {
                        Add("S", "TS");
                    }
                    else
                    {
                        Add("S");
                    }

                    return At(i + 1) == 'Z' ? i + 2 : i + 1;
                default:
                    return i + 1;
            }
        }

        private int C(int i)
        {
            if (i == 0 && Is(0, "CAESAR"))
            {
                Add("S");
                return i + 2;
            }

            if (Is(i, "CHIA"))
            {
                Add("K");
                return i + 2;
            }

            if (Is(i, "CH"))
            {
                if (i > 0 && Is(i, "CHAE"))
                {
                    Add("K", "X");
                    return i + 2;
                }

                // Greek roots (CHRIS, CHARACTER, CHORUS) and the German -CHT: a K sound.
                if ((i == 0 && (Is(i + 1, "HARAC", "HARIS", "HOR", "HYM", "HIA", "HEM") && !Is(0, "CHORE")))
                    || Is(0, "VAN ", "VON ", "SCH") || Is(i - 2, "ORCHES", "ARCHIT", "ORCHID") || Is(i + 2, "T", "S")
                    || ((i == 0 || Is(i - 1, "A", "O", "U", "E")) && Is(i + 2, "L", "R", "N", "M", "B", "H", "F", "V", "W")))
                {
                    Add("K");
                }
                else if (i > 0)
                {
                    Add(Is(0, "MC") ? "K" : "X", "K");
                }
                else
                {
                    Add("X");
                }

                return i + 2;
            }

            if (Is(i, "CZ") && !Is(i - 2, "WICZ"))
            {
                Add("S", "X");
                return i + 2;
            }

            if (Is(i, "CC") && !(i == 1 && At(0) == 'M'))
            {
                if (Is(i + 2, "I", "E", "H") && !Is(i + 2, "HU"))
                {
                    Add(Is(i - 1, "ACCE", "UCCE") || (i == 1 && At(0) == 'A') ? "KS" : "X");
                    return i + 3;
                }

                Add("K");
                return i + 2;
            }

            if (Is(i, "CK", "CG", "CQ"))
            {
                Add("K");
                return i + 2;
            }

            if (Is(i, "CI", "CE", "CY"))
            {
                if (Is(i, "CIO", "CIE", "CIA"))
                {
                    Add("S", "X");
                }
                else
                {
                    Add("S");
                }

                return i + 2;
            }

            Add("K");
            if (Is(i + 1, " C", " Q", " G"))
            {
                return i + 3;
            }

            return Is(i + 1, "C", "K", "Q") && !Is(i + 1, "CE", "CI") ? i + 2 : i + 1;
        }

        private int G(int i)
        {
            if (At(i + 1) == 'H')
            {
                if (i > 0 && !Vowel(At(i - 1)))
                {
                    Add("K");
                    return i + 2;
                }

                if (i == 0)
                {
                    Add(At(i + 2) == 'I' ? "J" : "K");
                    return i + 2;
                }

                // Silent in BOUGH, BREADTH-like English spellings; F in LAUGH, TOUGH.
                if (Is(i - 2, "B", "H", "D") || Is(i - 3, "B", "H", "D") || Is(i - 4, "B", "H"))
                {
                    return i + 2;
                }

                if (i > 2 && At(i - 1) == 'U' && Is(i - 3, "C", "G", "L", "R", "T"))
                {
                    Add("F");
                }
                else if (i > 0 && At(i - 1) != 'I')
                {
                    Add("K");
                }

                return i + 2;
            }

            if (At(i + 1) == 'N')
            {
                if (i == 1 && Vowel(At(0)) && !_slavoGermanic)
                {
                    Add("KN", "N");
                }
                else if (!Is(i + 2, "EY") && At(i + 1) != 'Y' && !_slavoGermanic)
                {
                    Add("N", "KN");
                }
                else
                {
                    Add("KN");
                }

                return i + 2;
            }

            if (Is(i + 1, "LI") && !_slavoGermanic)
            {
                Add("KL", "L");
                return i + 2;
            }

            if (i == 0 && (At(i + 1) == 'Y' || Is(i + 1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER")))
            {
                Add("K", "J");
                return i + 2;
            }

            if ((Is(i + 1, "ER") || At(i + 1) == 'Y') && !Is(0, "DANGER", "RANGER", "MANGER") && !Is(i - 1, "E", "I") && !Is(i - 1, "RGY", "OGY"))
            {
                Add("K", "J");
                return i + 2;
            }

            if (Is(i + 1, "E", "I", "Y") || Is(i - 1, "AGGI", "OGGI"))
            {
                if (Is(0, "VAN ", "VON ", "SCH") || Is(i + 1, "ET"))
                {
                    Add("K");
                }
                else if (Is(i + 1, "IER"))
                {
                    Add("J");
                }
                else
                {
                    Add("J", "K");
                }

                return i + 2;
            }

            Add("K");
            return At(i + 1) == 'G' ? i + 2 : i + 1;
        }

        private int S(int i)
        {
            if (Is(i - 1, "ISL", "YSL"))
            {
                return i + 1;
            }

            if (i == 0 && Is(i, "SUGAR"))
            {
                Add("X", "S");
                return i + 1;
            }

            if (Is(i, "SH"))
            {
                Add(Is(i + 1, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
                return i + 2;
            }

            if (Is(i, "SIO", "SIA", "SIAN"))
            {
                Add(_slavoGermanic ? "S" : "S", _slavoGermanic ? "S" : "X");
                return i + 3;
            }

            if ((i == 0 && Is(i + 1, "M", "N", "L", "W")) || Is(i + 1, "Z"))
            {
                Add("S", "X");
                return Is(i + 1, "Z") ? i + 2 : i + 1;
            }

            if (Is(i, "SC"))
            {
                if (At(i + 2) == 'H')
                {
                    if (Is(i + 3, "OO", "ER", "EN", "UY", "ED", "EM"))
                    {
                        Add(Is(i + 3, "ER", "EN") ? "X" : "SK", Is(i + 3, "ER", "EN") ? "SK" : "SK");
                        return i + 3;
                    }

                    Add("X", i == 0 && !Vowel(At(3)) && At(3) != 'W' ? "S" : "X");
                    return i + 3;
                }

                Add(Is(i + 2, "I", "E", "Y") ? "S" : "SK");
                return i + 3;
            }

            if (i == _last && Is(i - 2, "AI", "OI"))
            {
                Add("", "S");
            }
            else
            {
                Add("S");
            }

            return Is(i + 1, "S", "Z") ? i + 2 : i + 1;
        }

        private int T(int i)
        {
            if (Is(i, "TION", "TIA", "TCH"))
            {
                Add("X");
                return Is(i, "TCH") ? i + 3 : i + 3;
            }

            if (Is(i, "TH", "TTH"))
            {
                if (Is(i + 2, "OM", "AM") || Is(0, "VAN ", "VON ", "SCH"))
                {
                    Add("T");
                }
                else
                {
                    Add("0", "T");
                }

                return i + 2;
            }

            Add("T");
            return At(i + 1) is 'T' or 'D' ? i + 2 : i + 1;
        }

        private int W(int i)
        {
            if (Is(i, "WR"))
            {
                Add("R");
                return i + 2;
            }

            if (i == 0 && (Vowel(At(1)) || Is(i, "WH")))
            {
                Add(Vowel(At(1)) ? "A" : "A", Vowel(At(1)) ? "F" : "A");
            }

            if ((i == _last && Vowel(At(i - 1))) || Is(i - 1, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || Is(0, "SCH"))
            {
                Add("", "F");
                return i + 1;
            }

            if (Is(i, "WICZ", "WITZ"))
            {
                Add("TS", "FX");
                return i + 4;
            }

            return i + 1;
        }
    }
}
