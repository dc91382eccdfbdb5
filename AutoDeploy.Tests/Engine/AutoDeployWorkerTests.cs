using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// A pass that fails is tried again after the worker's back-off, on its own: the events it failed on may be the last
/// for a while, and the fallback scan (an hour here) is too late. The fault is real: the trigger's roles column holds
/// text that is not JSON, so loading the triggers throws until the test repairs the row.
/// </summary>
public sealed class AutoDeployWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_failed_pass_is_retried_after_the_back_off_with_no_new_event_and_no_scan()
    {
        var scenario = await new EngineScenario(_database).StartAsync();
        await scenario.ReleaseAsync("1.0.0");
        await scenario.DeployAsync("1.0.0", await scenario.AddMachineAsync("web-01"));
        await scenario.RunEngineAsync();
        await SetTriggerRolesAsync("not json");
        var machine = await scenario.AddMachineAsync("web-02");
        var log = new RecordingLogger<AutoDeployWorker>();
        using var worker = new AutoDeployWorker(scenario.Engine, new TaskSignals(),
            Options.Create(new AutoDeployOptions { ScanInterval = TimeSpan.FromHours(1) }), _database.Time, log);

        await worker.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(log.Errors > 0), Patience);
        await SetTriggerRolesAsync("[]");
        await Eventually.TrueAsync(async () =>
        {
            // The back-off is on the fake clock: move it on until the retry's timer, whenever it was set, fires.
            ((FakeTimeProvider)_database.Time).Advance(TimeSpan.FromMilliseconds(100));
            return (await scenario.QueuedAsync()).Contains($"1.0.0: {machine}");
        }, Patience, () => string.Join(Environment.NewLine, log.Messages));
        await worker.StopAsync(CancellationToken.None);

        Assert.Contains(log.Messages, m => m.Contains("An auto-deploy pass failed (1 in a row)"));
    }

    private async Task SetTriggerRolesAsync(string roles)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE Triggers SET Roles = $roles";
        command.Parameters.AddWithValue("$roles", roles);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
