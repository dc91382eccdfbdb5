using AutoDeploy.Bench;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>The "postgres" collection's <see cref="ThrowawayPostgres"/>: one server for the run, each test its own database.</summary>
public sealed class PostgresServer : ThrowawayPostgres, IAsyncLifetime;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;
