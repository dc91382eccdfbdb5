namespace AutoDeploy.Domain.Fleet;

/// <summary>How many rows are in each state: the fleet screen's chips.</summary>
public sealed record DriftCounts(int Current, int Pending, int Waiting, int Behind, int Blocked, int NotCovered)
{
    public static readonly DriftCounts None = new(0, 0, 0, 0, 0, 0);

    public int Total => Current + Pending + Waiting + Behind + Blocked + NotCovered;

    public int Of(DriftState state) => state switch
    {
        DriftState.Current => Current,
        DriftState.Pending => Pending,
        DriftState.Waiting => Waiting,
        DriftState.Behind => Behind,
        DriftState.Blocked => Blocked,
        _ => NotCovered,
    };

    public static DriftCounts Of(IEnumerable<DriftState> states)
    {
        var counts = new int[Enum.GetValues<DriftState>().Length];
        foreach (var state in states)
        {
            counts[(int)state]++;
        }
        return new DriftCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    }
}
