using AutomotiveCrm.Domain.Imports;
using AutomotiveCrm.Domain.Imports.Docs;
using AutomotiveCrm.Tests.Hosting;

namespace AutomotiveCrm.Tests.Imports.Reading;

/// <summary>
/// The import documentation (AutomotiveCrm.Domain/Imports/Docs) shows tables rendered from the code: the column
/// specifications, both providers' columns and formats, the choice and country synonyms. These tests require the
/// documents to contain them exactly, so a change of the code fails here until the documents follow.
/// </summary>
public sealed class ImportDocumentationTests
{
    private static string Document(string fileName)
    {
        var path = Path.Combine(CrmWebFactory.RepositoryRoot(), "AutomotiveCrm.Domain", "Imports", "Docs", fileName);
        Assert.True(File.Exists(path), $"{path} is missing");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    private static void AssertContains(string document, string fileName, string table) =>
        Assert.True(document.Contains(table, StringComparison.Ordinal), $"{fileName} must contain this table exactly:\n{table}");

    public static TheoryData<ImportFileType> FileTypes() => [.. Enum.GetValues<ImportFileType>()];

    [Theory]
    [MemberData(nameof(FileTypes))]
    public void FileTypeDocument_HasTheGeneratedTables(ImportFileType type)
    {
        var fileName = ImportDocumentation.FileNameOf(type);
        var document = Document(fileName);

        AssertContains(document, fileName, ImportDocumentation.FieldTable(DmsFileSpecs.For(type)));
        AssertContains(document, fileName, ImportDocumentation.ProviderColumnTable(type));
        AssertContains(document, fileName, ImportDocumentation.ProviderFormatTable(type));
    }

    [Fact]
    public void Readme_HasTheIndexAndSynonymTables()
    {
        var document = Document("README.md");

        AssertContains(document, "README.md", ImportDocumentation.FileTypeIndex());
        AssertContains(document, "README.md", ImportDocumentation.ChoiceSynonymTable());
        AssertContains(document, "README.md", ImportDocumentation.CountrySynonymTable());
    }

    [Fact]
    public void ChoiceSynonyms_NameOnlyAllowedValuesAndNoWordTwice()
    {
        foreach (var (fieldName, synonyms) in Domain.Imports.Reading.ChoiceSynonyms.ByField)
        {
            var field = DmsFileSpecs.All.SelectMany(s => s.Fields).First(f => f.Name == fieldName);
            Assert.All(synonyms.Keys, value => Assert.Contains(value, field.AllowedValues));
            var words = synonyms.Values.SelectMany(w => w).Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant()).ToList();
            Assert.Equal(words.Count, words.Distinct().Count());
        }
    }
}
