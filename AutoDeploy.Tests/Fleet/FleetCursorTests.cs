using AutoDeploy.Domain.Fleet;

namespace AutoDeploy.Tests.Fleet;

public sealed class FleetCursorTests
{
    [Fact]
    public void A_row_s_cursor_reads_back_and_precedes_exactly_the_rows_after_it()
    {
        var row = new DriftRow(12, "web-12", 3, "Shop", DriftState.Current, "");

        Assert.True(FleetCursor.TryParse(row.Cursor, out var cursor));

        Assert.Equal(("12-3", new FleetCursor(12, 3)), (row.Cursor, cursor));
        Assert.True(cursor.Precedes(12, 4));
        Assert.True(cursor.Precedes(13, 1));
        Assert.False(cursor.Precedes(12, 3));
        Assert.False(cursor.Precedes(11, 9));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("12-")]
    [InlineData("a-b")]
    [InlineData("-1-2")]
    [InlineData("1-2-3")]
    [InlineData(" 1-2")]
    [InlineData("99999999999-1")]
    public void Anything_a_page_did_not_write_is_refused(string text)
    {
        Assert.False(FleetCursor.TryParse(text, out _));
    }

    [Fact]
    public void Counts_add_up_per_state()
    {
        var counts = DriftCounts.Of([DriftState.Behind, DriftState.Current, DriftState.Behind]);

        Assert.Equal((2, 1, 0, 3), (counts.Behind, counts.Current, counts.Blocked, counts.Total));
        Assert.Equal(2, counts.Of(DriftState.Behind));
    }
}
