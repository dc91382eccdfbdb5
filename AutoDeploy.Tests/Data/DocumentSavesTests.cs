using AutoDeploy.Domain.Environments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Data;

public sealed class DocumentSavesTests : IAsyncLifetime
{
    private static readonly DocumentSaves<DeploymentEnvironment> Saves = new("environment", name => $"'{name}' is taken.");
    private SqliteDatabase _database = null!;
    private int _productionId;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        await using var db = _database.CreateDbContext();
        var production = DeploymentEnvironment.Create("Production", null, 0);
        db.Environments.Add(production);
        await db.SaveChangesAsync();
        _productionId = production.Id;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task TakenAsync_ignores_case_and_the_document_being_renamed()
    {
        await using var db = _database.CreateDbContext();

        var byAnother = await Saves.TakenAsync(db.Environments, " production ", null, default);
        var byItself = await Saves.TakenAsync(db.Environments, "PRODUCTION", _productionId, default);

        Assert.Equal((true, false), (byAnother, byItself));
    }

    [Fact]
    public async Task SaveAsync_of_a_name_taken_since_the_check_is_the_Conflict_beside_the_name_field()
    {
        await using var db = _database.CreateDbContext();
        db.Environments.Add(DeploymentEnvironment.Create("PRODUCTION", null, 1));

        var saved = await Saves.SaveAsync(db, db.Environments, "PRODUCTION ", null, default);

        Assert.Equal((SaveStatus.Conflict, "'PRODUCTION' is taken."), (saved.Status, saved.Message));
        Assert.Equal(["'PRODUCTION' is taken."], saved.Errors!["Name"]);
    }

    [Fact]
    public async Task SaveAsync_over_someone_elses_save_is_Stale()
    {
        await using var mine = _database.CreateDbContext();
        var production = await mine.Environments.SingleAsync(e => e.Id == _productionId);
        await using (var theirs = _database.CreateDbContext())
        {
            (await theirs.Environments.SingleAsync(e => e.Id == _productionId)).Describe("theirs");
            await theirs.SaveChangesAsync();
        }
        production.Describe("mine");

        var saved = await Saves.SaveAsync(mine, mine.Environments, production.Name, _productionId, default);

        Assert.Equal(SaveStatus.Stale, saved.Status);
    }

    [Fact]
    public async Task IsStale_only_when_the_loaded_version_is_not_the_documents()
    {
        await using var db = _database.CreateDbContext();
        var production = await db.Environments.SingleAsync(e => e.Id == _productionId);

        var stale = (Saves.IsStale(db, production, production.Version - 1), Saves.IsStale(db, production, production.Version),
            Saves.IsStale(db, production, null));

        Assert.Equal((true, false, false), stale);
    }
}
