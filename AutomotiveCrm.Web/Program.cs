using AutomotiveCrm.Web.Hosting;

// The web executable doubles as the operator's command line: `migrate`, `seed-demo`, `bench ...` run and exit.
if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);
}

var app = CrmWebApplication.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type, public for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
