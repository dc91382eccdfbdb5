using System.Net;
using System.Security.Cryptography;
using AutoDeploy.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// The one-time token that opens <c>/setup</c> to a request from another machine while no user exists. Issued at
/// start-up when set-up is open: written to the server log (one line) and to <see cref="FilePath"/> (mode 600), and
/// protected with Data Protection, whose key ring is in the database, so a token issued by any node is accepted by every
/// node. It dies with set-up: once a user exists no token is accepted and the file is deleted.
/// </summary>
public sealed class SetupToken(IDataProtectionProvider protection, IConfiguration configuration, IHostEnvironment environment,
    ILogger<SetupToken> logger)
{
    public const string FileName = "setup-token";
    private const string Prefix = "SETUP-";
    private const string Payload = "AutoDeploy first-run set-up";
    private readonly IDataProtector protector = protection.CreateProtector("AutoDeploy.SetupToken.v1");

    /// <summary>The token's file: <c>setup-token</c> in the data folder (<c>Database:DataFolder</c>).</summary>
    public string FilePath { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath,
        (configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions()).DataFolder, FileName));

    /// <summary>A request from this machine needs no token: whoever can reach loopback can read the file anyway.</summary>
    public static bool IsLoopback(HttpContext context) => context.Connection.RemoteIpAddress is { } address
        && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Makes a new token, writes it to the file readable only by this user and to the log.</summary>
    public void Issue()
    {
        var token = Prefix + protector.Protect(Payload + ":" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.Delete(FilePath); // the mode below applies only to a file being created
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new StreamWriter(FilePath, options))
        {
            file.WriteLine(token);
        }
        logger.LogWarning("Set-up is open: to create the first administrator from another machine, open /setup and enter the set-up token {SetupToken} (also in {SetupTokenFile})",
            token, FilePath);
    }

    /// <summary>Whether <paramref name="token"/> is one this server (any node) issued; the caller checks that set-up is still open.</summary>
    public bool IsValid(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || !token.Trim().StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return protector.Unprotect(token.Trim()[Prefix.Length..]).StartsWith(Payload + ":", StringComparison.Ordinal);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Set-up is complete: the file goes (the tokens are refused anyway, since a user exists).</summary>
    public void Retire()
    {
        try
        {
            File.Delete(FilePath);
        }
        catch (DirectoryNotFoundException)
        {
            // No data folder, so no file: a server bootstrapped from configuration never wrote one.
        }
        catch (IOException exception)
        {
            logger.LogWarning(exception, "Could not delete the set-up token file {SetupTokenFile}; it is no longer accepted", FilePath);
        }
    }
}
