using AutoDeploy.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Data;

/// <summary>Every connection to the SQLite file uses the write-ahead log and commits without an fsync.</summary>
public sealed class SqlitePragmasTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("synchronous", 1)]
    [InlineData("journal_mode", "wal")]
    public async Task A_new_connection_has_the_pragma(string pragma, object expected)
    {
        await using var db = _database.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";

        var value = await command.ExecuteScalarAsync();

        Assert.Equal(expected.ToString(), Convert.ToString(value));
    }
}
