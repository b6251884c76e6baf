using System.Text;
using AutomotiveCrm.Domain.Identity;
using AutomotiveCrm.Domain.Tenancy;
using AutomotiveCrm.Tests.Hosting;

namespace AutomotiveCrm.Tests.Identity;

public sealed class PermissionMatrixTests
{
    /// <summary>
    /// The README's table is the matrix as people read it; this renders the code's matrix in the same form and
    /// requires the README to contain it, so the two cannot drift apart.
    /// </summary>
    [Fact]
    public void Readme_PermissionTable_MatchesTheCode()
    {
        var readme = File.ReadAllText(Path.Combine(CrmWebFactory.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

        var table = RenderTable();

        Assert.True(readme.Contains(table, StringComparison.Ordinal), "README.md must contain the permission table exactly:\n" + table);
    }

    [Theory]
    [InlineData(ScopeLevel.Network)]
    [InlineData(ScopeLevel.Group)]
    [InlineData(ScopeLevel.Dealer)]
    public void Agency_AnyLevel_CampaignContentOnly(ScopeLevel level)
    {
        Assert.Equal([Permission.EditCampaignContent], PermissionMatrix.For(CrmRole.Agency, level));
        Assert.False(PermissionMatrix.SeesPersonalData([CrmRole.Agency], level));
    }

    [Fact]
    public void ManageUsersAndOrganisation_OnlyAdministrators()
    {
        foreach (var role in Enum.GetValues<CrmRole>().Where(r => r != CrmRole.Administrator))
        {
            foreach (var level in Enum.GetValues<ScopeLevel>())
            {
                Assert.DoesNotContain(Permission.ManageUsers, PermissionMatrix.For(role, level));
                Assert.DoesNotContain(Permission.ManageOrganisation, PermissionMatrix.For(role, level));
            }
        }

        Assert.Contains(Permission.ManageOrganisation, PermissionMatrix.For(CrmRole.Administrator, ScopeLevel.Network));
        Assert.DoesNotContain(Permission.ManageOrganisation, PermissionMatrix.For(CrmRole.Administrator, ScopeLevel.Group));
    }

    [Fact]
    public void Wholesale_OnlyAtNetworkLevel()
    {
        foreach (var role in Enum.GetValues<CrmRole>())
        {
            Assert.DoesNotContain(Permission.ViewWholesale, PermissionMatrix.For(role, ScopeLevel.Group));
            Assert.DoesNotContain(Permission.ViewWholesale, PermissionMatrix.For(role, ScopeLevel.Dealer));
        }
    }

    [Fact]
    public void Roles_Combined_UnionOfEach()
    {
        var combined = PermissionMatrix.For([CrmRole.Marketer, CrmRole.DataSteward], ScopeLevel.Group);

        Assert.Equal(PermissionMatrix.For(CrmRole.Marketer, ScopeLevel.Group).Union(PermissionMatrix.For(CrmRole.DataSteward, ScopeLevel.Group)).ToHashSet(), combined);
    }

    [Theory]
    [InlineData(ScopeLevel.Group, CrmRole.Sales, false, 7L)]
    [InlineData(ScopeLevel.Dealer, CrmRole.Service, false, 7L)]
    [InlineData(ScopeLevel.Network, CrmRole.Manager, true, null)]
    public void AccessScope_FromUser_GroupAndWholesaleFollowLevel(ScopeLevel level, CrmRole role, bool wholesale, long? group)
    {
        var scope = AccessScope.ForUser(level, networkId: 1, groupId: level == ScopeLevel.Network ? null : 7, [role]);

        Assert.Equal((group, wholesale, true), (scope.GroupId, scope.Wholesale, scope.PersonalData));
    }

    internal static string RenderTable()
    {
        var roles = Enum.GetValues<CrmRole>();
        var text = new StringBuilder();
        text.Append("| Permission | ").AppendJoin(" | ", roles).Append(" |\n");
        text.Append("|---|").Append(string.Concat(roles.Select(_ => "---|"))).Append('\n');
        foreach (var permission in Enum.GetValues<Permission>())
        {
            text.Append("| ").Append(permission).Append(" | ");
            text.AppendJoin(" | ", roles.Select(role =>
            {
                var levels = Enum.GetValues<ScopeLevel>().Where(level => PermissionMatrix.For(role, level).Contains(permission)).Select(l => l.ToString()[0]).ToList();
                return levels.Count == 0 ? "-" : string.Join(' ', levels);
            }));
            text.Append(" |\n");
        }

        return text.ToString();
    }
}
