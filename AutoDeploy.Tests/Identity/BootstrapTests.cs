using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// Headless set-up: a short or documented bootstrap key stops the start with a clear message, and the administrator,
/// their role and their key commit together. On SQLite only: the failure is forced by a SQLite trigger on the key's
/// table, and the checks of the key run before any database is opened.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class BootstrapTests
{
    [Theory]
    [InlineData("API-short", "has 9 characters; it needs at least 32")]
    [InlineData("API-CHANGEME0123456789", "sample value")]
    [InlineData("API-CHANGEME-0123456789-0123456789-0123456789", "sample value")]
    public async Task A_weak_bootstrap_key_stops_the_start_with_a_clear_message(string key, string message)
    {
        var failure = await StartFailureAsync(key);

        Assert.Contains("Bootstrap:AdminApiKey", failure.Message);
        Assert.Contains(message, failure.Message);
    }

    /// <summary>
    /// Starts the app as Program does, without WebApplicationFactory: when the start fails, the factory's own start
    /// races the app's disposal of itself, and on a loaded machine reported "Cannot access a disposed object" instead.
    /// </summary>
    private static async Task<Exception> StartFailureAsync(string key)
    {
        var folder = Directory.CreateTempSubdirectory("autodeploy-bootstrap-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ApplicationName = "AutoDeploy.Web" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(folder, "autodeploy.db")};Pooling=False",
                ["Database:DataFolder"] = folder,
                ["Packages:Folder"] = Path.Combine(folder, "packages"),
                ["Bootstrap:AdminEmail"] = AutoDeployAppFactory.AdminEmail,
                ["Bootstrap:AdminPassword"] = AutoDeployAppFactory.AdminPassword,
                ["Bootstrap:AdminApiKey"] = key,
            });
            builder.AddAutoDeploy();
            await using var app = builder.Build();
            app.MapAutoDeploy();
            return await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_key_of_32_characters_that_is_no_sample_is_accepted()
    {
        var validator = new BootstrapOptionsValidator();

        var result = validator.Validate(null, new BootstrapOptions { AdminApiKey = "API-" + new string('K', 28) });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task A_bootstrap_that_fails_half_way_leaves_no_user_so_set_up_stays_open()
    {
        await using var database = await SqliteDatabase.CreateAsync();
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER RefuseKeys BEFORE INSERT ON ApiKeys BEGIN SELECT RAISE(ABORT, 'no keys today'); END;";
            await command.ExecuteNonQueryAsync();
        }
        await using var app = new AutoDeployAppFactory { Settings = { ["ConnectionStrings:Default"] = database.ConnectionString } };

        Assert.ThrowsAny<Exception>(() => app.Services);

        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.UserRoles.CountAsync());
    }
}
