using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// An HTTP client that behaves like a browser on the statically rendered sign-in pages: keeps cookies,
/// does not follow redirects, and posts forms with their antiforgery token.
/// </summary>
public sealed partial class BrowserClient(HttpClient http)
{
    public BrowserClient(WebApplicationFactory<Program> app)
        : this(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
    {
    }

    /// <summary>A browser on the app served by Kestrel at <paramref name="baseAddress"/>, over a real socket.</summary>
    public BrowserClient(string baseAddress)
        : this(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() })
        {
            BaseAddress = new Uri(baseAddress),
        })
    {
    }

    public HttpClient Http { get; } = http;

    /// <summary>Loads <paramref name="path"/> and posts its form <paramref name="formName"/> back with the given fields.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, string formName, IDictionary<string, string> fields)
    {
        var page = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync()),
        };
        return await Http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string path = "/account/login") =>
        SubmitAsync(path, "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    public static string AntiforgeryToken(string html) => TokenPattern().Match(html) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>The path and query a redirect points to, whether the Location is absolute or not.</summary>
    public static string? RedirectTarget(HttpResponseMessage response) => response.Headers.Location is { } location
        ? location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString
        : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
