using Microsoft.Playwright;

namespace AutoDeploy.E2E;

/// <summary>The Environments screen as a user sees it: rows by name, the add/edit dialog, the per-row buttons.</summary>
public sealed class EnvironmentsPageObject(IPage page)
{
    public Task GotoAsync() => page.GotoInteractiveAsync("/environments");

    /// <summary>The row whose name cell is exactly <paramref name="name"/>.</summary>
    public ILocator Row(string name) =>
        page.Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }) });

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public ILocator NameField => Dialog.GetByLabel("Name", new() { Exact = true });

    public Task OpenAddDialogAsync() => Button("Add environment").OpenDialogAsync();

    public Task OpenEditDialogAsync(string name) => Button($"Edit {name}").OpenDialogAsync();

    public Task SaveAsync() => Dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

    public async Task AddAsync(string name)
    {
        await OpenAddDialogAsync();
        await NameField.FillAsync(name);
        await SaveAsync();
    }

    public async Task DeleteAsync(string name)
    {
        await Button($"Delete {name}").ClickAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
    }

    private ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
}
