using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Secrets;

/// <summary>
/// The key ring's certificate over a server's life: added to a server that has run without one, rotated, missing.
/// Each test starts a second app on the first one's database, as a restart with new settings.
/// </summary>
[Trait("Database", "App")]
public sealed class KeyRingCertificateTests : IAsyncLifetime
{
    private const string Token = "tok3n-ZQ9xW2vK7pL4mN8r";

    private readonly KeyRingCertificate _first = new();
    private readonly KeyRingCertificate _second = new();
    private readonly List<AutoDeployAppFactory> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The first app owns the database (its file, on SQLite): it goes last.
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task A_certificate_added_later_replaces_the_unencrypted_keys_and_the_secrets_still_decrypt()
    {
        var before = App(null);
        var projectId = await CreateProjectAsync(before);
        Assert.Contains(await KeysAsync(before), k => k.Contains("<masterKey"));

        var after = App(before.ConnectionString, (_first, []));

        Assert.Equal(Token, await RevealAsync(after, projectId));
        var keys = await KeysAsync(after);
        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => k.Contains("<masterKey"));
    }

    [Fact]
    public async Task After_a_rotation_the_previous_certificate_still_decrypts_the_keys_it_encrypted()
    {
        var before = App(null, (_first, []));
        var projectId = await CreateProjectAsync(before);

        var after = App(before.ConnectionString, (_second, [_first]));

        Assert.Equal(Token, await RevealAsync(after, projectId));
    }

    [Fact]
    public void A_certificate_path_to_no_file_stops_the_start_with_a_message_naming_the_setting()
    {
        var app = App(null);
        app.Settings["DataProtection:CertificatePath"] = "/nonexistent/keyring.pfx";

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("DataProtection:CertificatePath is '/nonexistent/keyring.pfx', but there is no such file", error.Message);
    }

    private AutoDeployAppFactory App(string? connectionString, (KeyRingCertificate Current, KeyRingCertificate[] Previous)? certificates = null)
    {
        var app = new AutoDeployAppFactory();
        if (connectionString is not null)
        {
            app.Settings["ConnectionStrings:Default"] = connectionString;
        }
        if (certificates is var (current, previous))
        {
            app.Settings["DataProtection:CertificatePath"] = current.Path;
            app.Settings["DataProtection:CertificatePassword"] = KeyRingCertificate.Password;
            for (var i = 0; i < previous.Length; i++)
            {
                app.Settings[$"DataProtection:PreviousCertificates:{i}:Path"] = previous[i].Path;
                app.Settings[$"DataProtection:PreviousCertificates:{i}:Password"] = KeyRingCertificate.Password;
            }
        }
        _apps.Add(app);
        return app;
    }

    private static async Task<int> CreateProjectAsync(AutoDeployAppFactory app)
    {
        var response = await app.CreateApiClient().PostAsJsonAsync("/api/projects", new
        {
            name = "Shop",
            variables = new[] { new { name = "API_TOKEN", value = Token, isSensitive = true } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<string> RevealAsync(AutoDeployAppFactory app, int projectId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        var stored = (await db.Projects.SingleAsync(p => p.Id == projectId)).Variables.Single().Value;
        return app.Services.GetRequiredService<SecretProtector>().Reveal(stored);
    }

    private static async Task<List<string>> KeysAsync(AutoDeployAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }
}
