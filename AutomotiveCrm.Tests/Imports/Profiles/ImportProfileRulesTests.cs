using AutomotiveCrm.Domain.Common;
using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Profiles;
using AutomotiveCrm.Domain.Imports.Reading;

namespace AutomotiveCrm.Tests.Imports.Profiles;

public sealed class ImportProfileRulesTests
{
    private static ImportProfile Customers(Action<ImportProfile>? change = null)
    {
        var profile = DefaultImportProfiles.For(DefaultImportProfiles.Roadstar, ImportFileType.Customers).ToProfile(1);
        change?.Invoke(profile);
        return profile;
    }

    [Fact]
    public void Validate_EveryDefaultProfile_HasNoProblems()
    {
        foreach (var definition in DefaultImportProfiles.All)
        {
            Assert.Empty(ImportProfileRules.Validate(definition.ToProfile(1)));
        }
    }

    [Fact]
    public void Defaults_CoverEveryFileTypeForBothProviders()
    {
        foreach (var provider in DefaultImportProfiles.Providers)
        {
            Assert.Equal(Enum.GetValues<ImportFileType>().Order(), DefaultImportProfiles.All.Where(d => d.DmsProvider == provider).Select(d => d.FileType).Order());
        }

        Assert.Equal(DefaultImportProfiles.All.Count, DefaultImportProfiles.All.Select(d => d.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Defaults_NoFileNameMatchesTwoPatternsOfOneProvider()
    {
        foreach (var definition in DefaultImportProfiles.All)
        {
            var example = definition.FileNamePattern.Replace("*", "20260301", StringComparison.Ordinal);
            var matching = DefaultImportProfiles.All.Where(d => d.DmsProvider == definition.DmsProvider && FileNamePattern.Matches(d.FileNamePattern, example));
            Assert.Equal([definition.Name], matching.Select(d => d.Name));
        }
    }

    [Fact]
    public void ColumnMap_WriteThenRead_RoundTrips()
    {
        ColumnMapping[] columns = [new("customer_id", "KUNDENNR"), new("phone_work", "TELEFON_GESCHÄFT"), new("notes", "a \"quoted\" name")];

        var json = ImportProfileRules.WriteColumnMap(columns);

        Assert.Equal("[{\"field\":\"customer_id\",\"source\":\"KUNDENNR\"},{\"field\":\"phone_work\",\"source\":\"TELEFON_GESCHÄFT\"},{\"field\":\"notes\",\"source\":\"a \\u0022quoted\\u0022 name\"}]", json);
        Assert.Equal(columns, ImportProfileRules.ReadColumnMap(json));
    }

    [Fact]
    public void ColumnMap_NumberSources_AreRead()
    {
        var columns = ImportProfileRules.ReadColumnMap("[{\"field\":\"transaction_id\",\"source\":1}]");

        Assert.Equal([new ColumnMapping("transaction_id", "1")], columns);
    }

    [Theory]
    [InlineData("not json", "The column map is not valid JSON")]
    [InlineData("{\"field\":\"x\"}", "The column map must be a JSON array")]
    [InlineData("[{\"field\":\"x\"}]", "Entry 1 of the column map needs a \"field\" and a \"source\".")]
    public void ColumnMap_Malformed_IsAProblem(string json, string expected)
    {
        var problems = ImportProfileRules.Validate(Customers(p => p.ColumnMap = json));

        Assert.StartsWith(expected, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadColumns_ListsEveryProblem()
    {
        var profile = Customers(p => p.ColumnMap = ImportProfileRules.WriteColumnMap(
        [
            new("last_name", "SURNAME"),
            new("shoe_size", "SHOES"),
            new("last_name", "NAME2"),
            new("first_name", "SURNAME"),
        ]));

        var problems = ImportProfileRules.Validate(profile);

        Assert.Equal(
        [
            "\"shoe_size\" is not a field of Customers files (see the column specification).",
            "The field last_name is mapped more than once.",
            "The column \"SURNAME\" is mapped to both last_name and first_name.",
            "The required field customer_id is not mapped to a column.",
        ], problems);
    }

    [Fact]
    public void Validate_WithoutHeaderRow_SourcesMustBeColumnNumbers()
    {
        var profile = Customers(p =>
        {
            p.HasHeaderRow = false;
            p.ColumnMap = ImportProfileRules.WriteColumnMap([new("customer_id", "1"), new("last_name", "0"), new("first_name", "NAME")]);
        });

        var problems = ImportProfileRules.Validate(profile);

        Assert.Equal(
        [
            "The field last_name must name a column number (1, 2, ...) because the file has no header row, not \"0\".",
            "The field first_name must name a column number (1, 2, ...) because the file has no header row, not \"NAME\".",
        ], problems);
    }

    [Theory]
    [InlineData(",,", "\"", "The delimiter must be exactly one character, not \",,\" (2 characters).")]
    [InlineData("", "\"", "The delimiter must be exactly one character, not \"\" (0 characters).")]
    [InlineData(";", ";", "The delimiter and the quote are both \";\": they must differ.")]
    [InlineData("x", "\"", "The delimiter \"x\" cannot separate columns: use a comma, semicolon, tab or pipe.")]
    [InlineData(",", "''", "The quote must be one character (or none), not \"''\".")]
    public void Validate_BadDelimiterOrQuote_IsNamed(string delimiter, string quote, string expected)
    {
        var problems = ImportProfileRules.Validate(Customers(p => (p.Delimiter, p.Quote) = (delimiter, quote)));

        Assert.Equal([expected], problems);
    }

    [Fact]
    public void Validate_TabDelimiterAndNoQuote_AreFine()
    {
        Assert.Empty(ImportProfileRules.Validate(Customers(p => (p.Delimiter, p.Quote) = ("\t", null))));
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("UTF8")]
    [InlineData("windows-1252")]
    [InlineData("iso-8859-15")]
    public void Validate_SupportedEncodings_AreFine(string encoding)
    {
        Assert.Empty(ImportProfileRules.Validate(Customers(p => p.Encoding = encoding)));
    }

    [Theory]
    [InlineData("klingon", "The encoding \"klingon\" is unknown: use utf-8 or windows-1252.")]
    [InlineData("utf-16", "The encoding \"utf-16\" is not supported: DMS files must be utf-8 or a single-byte code page such as windows-1252.")]
    public void Validate_UnsupportedEncoding_IsNamed(string encoding, string expected)
    {
        Assert.Equal([expected], ImportProfileRules.Validate(Customers(p => p.Encoding = encoding)));
    }

    [Theory]
    [InlineData("dd/MM/yyyy")]
    [InlineData("dd.MM.yyyy")]
    [InlineData("d.M.yy")]
    [InlineData("yyyyMMdd")]
    [InlineData("dd-MMM-yyyy")]
    public void Validate_RoundTrippingDateFormats_AreFine(string format)
    {
        Assert.Empty(ImportProfileRules.Validate(Customers(p => p.DateFormat = format)));
    }

    [Theory]
    [InlineData("dd/MM")]
    [InlineData("MM/yyyy")]
    [InlineData("dd/dd/yyyy")]
    [InlineData("%")]
    [InlineData("")]
    public void Validate_DateFormatThatCannotRoundTrip_IsAProblem(string format)
    {
        var problem = Assert.Single(ImportProfileRules.Validate(Customers(p => p.DateFormat = format)));

        Assert.StartsWith("The date format", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadDecimalSeparatorAndPattern_AreNamed()
    {
        var problems = ImportProfileRules.Validate(Customers(p => (p.DecimalSeparator, p.FileNamePattern) = ("'", "in/CUST_*.csv")));

        Assert.Equal(
        [
            "The decimal separator must be \".\" or \",\", not \"'\".",
            "The file-name pattern \"in/CUST_*.csv\" may contain only file-name characters, * and ?: not \"/\".",
        ], problems);
    }

    [Fact]
    public void FromProfile_InvalidProfile_ThrowsWithEveryProblem()
    {
        var profile = Customers(p => (p.Delimiter, p.Encoding) = ("", "nope"));

        var exception = Assert.Throws<DomainException>(() => ImportFormat.FromProfile(profile));

        Assert.Contains("The delimiter must be exactly one character", exception.Message, StringComparison.Ordinal);
        Assert.Contains("The encoding \"nope\" is unknown", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromProfile_WerkstattPlus_BuildsTheFormat()
    {
        var format = ImportFormat.FromProfile(DefaultImportProfiles.For(DefaultImportProfiles.WerkstattPlus, ImportFileType.WorkshopTransactions).ToProfile(1));

        Assert.Equal(';', format.Delimiter);
        Assert.Equal('"', format.Quote);
        Assert.Equal(1252, format.Encoding.CodePage);
        Assert.Equal(',', format.DecimalSeparator);
        Assert.Equal('.', format.ThousandsSeparator);
        Assert.False(format.HasHeaderRow);
        Assert.Equal(new ColumnMapping("amount", "6"), format.Columns[5]);
    }

    [Theory]
    [InlineData("CUSTOMERS_*.csv", "customers_20260301.CSV", true)]
    [InlineData("CUSTOMERS_*.csv", "/sftp/in/CUSTOMERS_1.csv", true)]
    [InlineData("CUSTOMERS_*.csv", "CUSTOMERS.csv", false)]
    [InlineData("KUNDEN_????????.txt", "KUNDEN_20260301.txt", true)]
    [InlineData("KUNDEN_????????.txt", "KUNDEN_2026030.txt", false)]
    [InlineData("*", "anything", true)]
    [InlineData("*_*.txt", "a_b_c.txt", true)]
    [InlineData("*.txt", "a.txt.bak", false)]
    public void FileNamePattern_Matches_GlobCaseInsensitive(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, FileNamePattern.Matches(pattern, name));
    }
}
