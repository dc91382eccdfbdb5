using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The Subscriptions screen: the create form, the secret shown once, the test button and the delivery log.</summary>
public sealed class SubscriptionsPageObject(IPage page)
{
    public Task GotoAsync() => page.GotoInteractiveAsync("/subscriptions");

    public ILocator Row(string name) =>
        page.GetByTestId("subscriptions").Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }) });

    public ILocator Secret => page.GetByTestId("subscription-secret");

    public ILocator DeliveryStatuses => page.GetByTestId("delivery-log").GetByTestId("delivery-status");

    public async Task CreateAsync(string name, string url)
    {
        await page.GetByTestId("new-subscription").ClickAsync();
        var form = page.GetByTestId("subscription-form");
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await form.GetByLabel("URL", new() { Exact = true }).FillAsync(url);
        await form.GetByTestId("subscription-create").ClickAsync();
    }

    public Task SendTestEventAsync(string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Send test event to {name}" }).ClickAsync();
}
