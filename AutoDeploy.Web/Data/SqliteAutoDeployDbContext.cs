using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AutoDeploy.Web.Data;

/// <summary>The embedded default: a SQLite file. Owns the migrations in Data/Migrations/Sqlite.</summary>
public sealed class SqliteAutoDeployDbContext(DbContextOptions<SqliteAutoDeployDbContext> options)
    : AutoDeployDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        StoreTimesAsTicks(configurationBuilder);
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAutoDeployDbContext>
{
    public SqliteAutoDeployDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>().UseSqlite("Data Source=design.db").Options);
}
