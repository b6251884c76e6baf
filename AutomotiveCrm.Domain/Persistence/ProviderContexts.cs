using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AutomotiveCrm.Domain.Persistence;

/// <summary>SQLite: the embedded default. Migrations in Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteCrmDbContext(DbContextOptions<SqliteCrmDbContext> options) : CrmDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>PostgreSQL. Migrations in Persistence/Migrations/PostgreSql.</summary>
public sealed class PostgresCrmDbContext(DbContextOptions<PostgresCrmDbContext> options) : CrmDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

/// <summary>SQL Server: supported and its migrations are generated and scripted in the tests, but it is not run live here.</summary>
public sealed class SqlServerCrmDbContext(DbContextOptions<SqlServerCrmDbContext> options) : CrmDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}

// Design-time factories let `dotnet ef` build each context without booting the web app. Adding a migration opens
// no connection; `dotnet ef database update` uses CRM_CONNECTION when set.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCrmDbContext>
{
    public SqliteCrmDbContext CreateDbContext(string[] args) =>
        (SqliteCrmDbContext)CrmDatabase.CreateContext(new DatabaseSettings
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = Environment.GetEnvironmentVariable("CRM_CONNECTION") ?? DatabaseSettings.DefaultSqliteConnection,
        });
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCrmDbContext>
{
    public PostgresCrmDbContext CreateDbContext(string[] args) =>
        (PostgresCrmDbContext)CrmDatabase.CreateContext(new DatabaseSettings
        {
            Provider = DatabaseProvider.PostgreSql,
            ConnectionString = Environment.GetEnvironmentVariable("CRM_CONNECTION") ?? "Host=127.0.0.1;Database=automotive_crm;Username=postgres",
        });
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerCrmDbContext>
{
    public SqlServerCrmDbContext CreateDbContext(string[] args) =>
        (SqlServerCrmDbContext)CrmDatabase.CreateContext(new DatabaseSettings
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = Environment.GetEnvironmentVariable("CRM_CONNECTION") ?? "Server=localhost;Database=AutomotiveCrm;Integrated Security=true;TrustServerCertificate=true",
        });
}
