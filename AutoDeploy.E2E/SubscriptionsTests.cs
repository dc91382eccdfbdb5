using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace AutoDeploy.E2E;

[Collection("e2e")]
public sealed class SubscriptionsTests(E2EFixture fixture)
{
    [Fact]
    public async Task An_administrator_subscribes_a_receiver_sees_the_secret_once_and_sends_a_test_event()
    {
        var posts = 0;
        await using var receiver = await StartReceiverAsync(() => Interlocked.Increment(ref posts));
        var name = $"chat {Guid.NewGuid():N}"[..13];
        await using var session = await fixture.NewSessionAsync();
        var subscriptions = new SubscriptionsPageObject(session.Page);
        await subscriptions.GotoAsync();

        await subscriptions.CreateAsync(name, receiver.Urls.First() + "/hook");
        await Expect(subscriptions.Secret).ToContainTextAsync("whsec_");
        await Expect(subscriptions.Row(name)).ToContainTextAsync("Active");
        await subscriptions.SendTestEventAsync(name);

        await Expect(subscriptions.DeliveryStatuses.First).ToHaveTextAsync("200");
        Assert.Equal(1, posts);
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotFolder, "subscriptions.png"), FullPage = true });
        await subscriptions.GotoAsync();
        await Expect(subscriptions.Secret).ToHaveCountAsync(0);
    }

    /// <summary>A receiver on 127.0.0.1 that answers every POST to /hook with 200.</summary>
    private static async Task<WebApplication> StartReceiverAsync(Action received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", () =>
        {
            received();
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
