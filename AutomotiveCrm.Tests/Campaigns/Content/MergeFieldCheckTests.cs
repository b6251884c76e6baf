using AutomotiveCrm.Domain.Campaigns.Content;

namespace AutomotiveCrm.Tests.Campaigns.Content;

public sealed class MergeFieldCheckTests
{
    [Theory]
    [InlineData("Dear {{ customer.first_name | default: \"Customer\" }}")]
    [InlineData("Your {{ vehicle.make | default: \"car\" }} {{ vehicle.model | default: \"\" }} is due at {{ dealer.name | default: \"us\" }}")]
    [InlineData("{% if vehicle.registration %}Reg {{ vehicle.registration | default: \"\" }}{% endif %}")]
    [InlineData("<a href=\"{{ unsubscribe_url }}\">Unsubscribe</a> to {{ customer.email }}")]
    [InlineData("Since {{ relationship.since | default: \"years\" }} with {{ relationship.dealer | default: \"us\" }}")]
    [InlineData("No merge fields at all")]
    public void Check_ValidContent_HasNoProblems(string source)
    {
        Assert.Empty(MergeFieldCheck.Check("Body", source));
    }

    [Fact]
    public void Check_MisspeltField_IsAnErrorWithSuggestion()
    {
        var problem = Assert.Single(MergeFieldCheck.Check("Subject", "Hi {{ customer.frist_name | default: \"you\" }}"));

        Assert.Equal(MergeFieldSeverity.Error, problem.Severity);
        Assert.Equal("customer.frist_name", problem.Field);
        Assert.Contains("did you mean 'customer.first_name'", problem.Message, StringComparison.Ordinal);
        Assert.Equal("Subject", problem.Part);
    }

    [Theory]
    [InlineData("Hi {{ customer.first_name")]
    [InlineData("Hi {{ }}")]
    [InlineData("Hi {% if customer.first_name %}")]
    public void Check_BrokenLiquid_IsAnError(string source)
    {
        var problems = MergeFieldCheck.Check("Body", source);

        Assert.Contains(problems, p => p.Severity == MergeFieldSeverity.Error);
        Assert.True(MergeFieldCheck.HasErrors(problems));
    }

    [Fact]
    public void Check_UnknownObject_IsAnError()
    {
        var problem = Assert.Single(MergeFieldCheck.Check("Body", "{{ salesperson.name | default: \"x\" }}"));

        Assert.Equal(MergeFieldSeverity.Error, problem.Severity);
        Assert.Contains("'salesperson.name' is not a merge field", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownFieldInCondition_IsAnError()
    {
        var problems = MergeFieldCheck.Check("Body", "{% if vehicle.mileage > 10000 %}high{% endif %}");

        Assert.Contains(problems, p => p.Field == "vehicle.mileage" && p.Severity == MergeFieldSeverity.Error);
    }

    [Fact]
    public void Check_FieldWithoutFallback_IsAWarning()
    {
        var problem = Assert.Single(MergeFieldCheck.Check("Body", "Dear {{ customer.first_name }}"));

        Assert.Equal(MergeFieldSeverity.Warning, problem.Severity);
        Assert.False(MergeFieldCheck.HasErrors([problem]));
    }

    [Fact]
    public void Liquid_FallbackWithQuotes_StaysOneValidField()
    {
        var liquid = MergeFields.Find("customer.first_name")!.Liquid("dear \"friend\"");

        Assert.Equal("{{ customer.first_name | default: \"dear 'friend'\" }}", liquid);
        Assert.Empty(MergeFieldCheck.Check("Body", liquid));
    }

    [Fact]
    public void Catalogue_EveryField_RendersForTheSample()
    {
        foreach (var field in MergeFields.All.Where(f => f.Group != MergeFieldGroup.Message))
        {
            var rendered = Domain.Campaigns.Content.ContentPreview.RenderSms(field.Liquid(), MergeFields.Sample);

            Assert.False(string.IsNullOrWhiteSpace(rendered), field.Path);
        }
    }
}
