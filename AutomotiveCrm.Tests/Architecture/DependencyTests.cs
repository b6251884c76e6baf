using System.Reflection;
using AutomotiveCrm.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;

namespace AutomotiveCrm.Tests.Architecture;

public sealed class DependencyTests
{
    private const string InMemoryProvider = "Microsoft.EntityFrameworkCore.InMemory";

    private static readonly Assembly Domain = typeof(CrmDbContext).Assembly;

    // Loaded by name: the test must not depend on any particular page or service existing in the web project.
    private static readonly Assembly Web = Assembly.Load("AutomotiveCrm.Web");

    [Fact]
    public void Domain_Types_DoNotDependOnWeb()
    {
        var result = Types.InAssembly(Domain).ShouldNot().HaveDependencyOn("AutomotiveCrm.Web").GetResult();

        Assert.True(result.IsSuccessful, "Domain types that use the web project: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Domain_Assembly_DoesNotReferenceWebOrAspNetCoreBeyondIdentityStores()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        // The Identity EF stores are the one exception: users and roles live in the CRM database and model,
        // so the domain's context derives from IdentityDbContext. Nothing of MVC, Razor or hosting may creep in.
        Assert.DoesNotContain(references, name => name.StartsWith("AutomotiveCrm.Web", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && !name.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal));
    }

    [Fact]
    public void Web_Types_DoNotDeriveFromDbContext()
    {
        // Reflection rather than a metadata walk: the chain to DbContext may pass through other assemblies
        // (IdentityDbContext, for one), and only the runtime resolves those reliably.
        var contexts = LoadableTypes(Web).Where(t => t.IsSubclassOf(typeof(DbContext))).Select(t => t.FullName).ToList();

        Assert.True(contexts.Count == 0, "DbContexts belong in AutomotiveCrm.Domain; found in Web: " + string.Join(", ", contexts));
    }

    [Fact]
    public void Web_Types_DoNotUseProviderContextsDirectly()
    {
        var result = Types.InAssembly(Web)
            .ShouldNot().HaveDependencyOnAny(typeof(SqliteCrmDbContext).FullName, typeof(PostgresCrmDbContext).FullName, typeof(SqlServerCrmDbContext).FullName)
            .GetResult();

        Assert.True(result.IsSuccessful,
            "Web code should see CrmDbContext only (CrmDatabase picks the provider): " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void TestProject_Dependencies_DoNotIncludeEfInMemoryProvider()
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, typeof(DependencyTests).Assembly.GetName().Name + ".deps.json");

        var deps = File.ReadAllText(depsFile);

        Assert.DoesNotContain(InMemoryProvider, deps, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, InMemoryProvider + ".dll")),
            "The EF InMemory provider is in the test output: test on SQLite or PostgreSQL instead.");
    }

    [Fact]
    public void TestProject_ReferencedAssemblies_DoNotIncludeEfInMemoryProvider()
    {
        var reachable = ReferenceClosure(typeof(DependencyTests).Assembly);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? string.Empty);

        Assert.DoesNotContain(InMemoryProvider, reachable);
        Assert.DoesNotContain(InMemoryProvider, loaded);
    }

    /// <summary>Names of every assembly reachable through references from <paramref name="root"/> that can be loaded.</summary>
    private static HashSet<string> ReferenceClosure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.GetName().Name! };
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is null || !seen.Add(reference.Name))
                {
                    continue;
                }

                try
                {
                    pending.Push(Assembly.Load(reference));
                }
                catch (FileNotFoundException)
                {
                    // Referenced but not deployed (optional platform pieces): it cannot be loaded, so it cannot be used.
                }
            }
        }

        return seen;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
