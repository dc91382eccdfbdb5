using AutoDeploy.Web.Components.Pages.Audit;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Tests.Audit;

public sealed class AuditLogQueryTests
{
    [Fact]
    public void ToUri_gives_a_document_with_an_id_its_own_key()
    {
        var filter = new EventLogFilter { Categories = ["MachineDisabled"], DocumentType = EventDocumentTypes.Machine, DocumentId = 12 };

        Assert.Equal("/audit?category=MachineDisabled&machine=12", AuditLogQuery.ToUri(filter));
    }

    [Fact]
    public void Parse_reads_back_every_filter_ToUri_writes()
    {
        var filter = new EventLogFilter
        {
            Categories = ["Created", "Deleted"],
            DocumentType = EventDocumentTypes.MachinePolicy,
            DocumentId = 3,
            Actor = "alice smith",
            From = new DateOnly(2026, 11, 1),
            To = new DateOnly(2026, 11, 30),
        };

        var parsed = AuditLogQuery.Parse("http://localhost" + AuditLogQuery.ToUri(filter));

        Assert.True(parsed.SameAs(filter), AuditLogQuery.ToUri(parsed));
    }

    [Fact]
    public void Parse_leaves_out_what_does_not_parse()
    {
        var parsed = AuditLogQuery.Parse("http://localhost/audit?machine=abc&type=Spaceship&from=yesterday&actor=%20");

        Assert.True(parsed.SameAs(EventLogFilter.None), AuditLogQuery.ToUri(parsed));
    }

    [Fact]
    public void A_document_type_without_an_id_is_the_type_key()
    {
        var parsed = AuditLogQuery.Parse("http://localhost/audit?type=Environment");

        Assert.Equal("/audit?type=Environment", AuditLogQuery.ToUri(parsed));
    }
}
