using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Identity;

/// <summary>Retiring the set-up token deletes its file; a server that never had a data folder has nothing to delete and says nothing.</summary>
public sealed class SetupTokenRetireTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"autodeploy-retire-{Guid.NewGuid():N}");
    private readonly LogLines _log = new();
    private readonly ILoggerFactory _loggers;

    public SetupTokenRetireTests() => _loggers = LoggerFactory.Create(b => b.AddProvider(_log));

    [Fact]
    public void Retiring_the_token_deletes_its_file()
    {
        var token = Token("data");
        token.Issue();

        token.Retire();

        Assert.False(File.Exists(token.FilePath));
        Assert.DoesNotContain(_log.All, l => l.StartsWith("Could not delete", StringComparison.Ordinal));
    }

    [Fact]
    public void A_data_folder_that_does_not_exist_is_nothing_to_delete_and_no_warning()
    {
        var token = Token("never-created");

        token.Retire();

        Assert.False(Directory.Exists(Path.GetDirectoryName(token.FilePath)));
        Assert.DoesNotContain(_log.All, l => l.StartsWith("Could not delete", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _loggers.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private SetupToken Token(string dataFolder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataFolder"] = dataFolder })
            .Build();
        var environment = new HostingEnvironment { ContentRootPath = _root };
        return new SetupToken(new EphemeralDataProtectionProvider(), configuration, environment, _loggers.CreateLogger<SetupToken>());
    }
}
