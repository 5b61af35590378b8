use super::{close, input_error, json_of, tradeoff};

#[test]
fn erlang_c_reproduces_the_r_package_example() {
    let v = json_of(&[
        "queue",
        "erlang-c",
        "--arrival",
        "100/30m",
        "--aht",
        "180s",
        "--target",
        "20s",
        "--agents",
        "14",
    ]);
    close(&v["traffic_erlangs"], 10.0, 1e-12);
    close(&v["figures"]["p_wait"], 0.1741319, 1e-6);
    // The README prints the service level to 5 digits (0.88835).
    close(&v["service_level"], 0.88835, 1e-5);
    close(&v["asa_seconds"], 7.835937, 1e-6);
    close(&v["occupancy"], 0.7142857, 1e-6);
    assert_eq!(v["formatted"]["asa_seconds"], "7.84s");
}

#[test]
fn erlang_c_without_agents_finds_the_minimum_of_fourteen() {
    let v = json_of(&[
        "queue",
        "erlang-c",
        "--arrival",
        "100/30m",
        "--aht",
        "180s",
        "--target",
        "20s",
        "--service-level",
        "0.8",
    ]);
    assert_eq!(v["servers"], 14);
    assert_eq!(v["minimum"], true);
    assert_eq!(v["meets_goal"], true);
}

#[test]
fn erlang_c_table_says_what_the_numbers_mean() {
    tradeoff()
        .args([
            "queue",
            "erlang-c",
            "--arrival",
            "100/30m",
            "--aht",
            "180s",
            "--target",
            "20s",
            "--agents",
            "14",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("average speed of answer"))
        .stdout(predicates::str::contains(
            "14 agents answer 88.84% of calls within 20s",
        ));
}

#[test]
fn mmc_with_one_server_gives_the_mm1_example() {
    let v = json_of(&[
        "queue",
        "mmc",
        "--arrival",
        "0.25/s",
        "--service-time",
        "3s",
    ]);
    close(&v["utilisation"], 0.75, 1e-12);
    close(&v["l"], 3.0, 1e-12);
    close(&v["lq"], 2.25, 1e-12);
    close(&v["w_seconds"], 12.0, 1e-12);
    close(&v["wq_seconds"], 9.0, 1e-12);
}

#[test]
fn mmc_takes_the_issue_example_and_prints_yaml() {
    let out = tradeoff()
        .args([
            "queue",
            "mmc",
            "--arrival",
            "5/s",
            "--service-time",
            "100ms",
            "--servers",
            "2",
            "--format",
            "yaml",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("p0: 0.6"), "{text}");
}

#[test]
fn littles_law_gives_fifty_in_flight() {
    let v = json_of(&["queue", "little", "--arrival", "100/s", "--time", "500ms"]);
    close(&v["in_system"], 50.0, 1e-12);
    let v = json_of(&["queue", "little", "--in-system", "50", "--time", "500ms"]);
    close(&v["arrival_per_second"], 100.0, 1e-12);
}

#[test]
fn an_arrival_rate_at_capacity_is_an_input_error() {
    let e = input_error(&[
        "queue",
        "mmc",
        "--arrival",
        "20/s",
        "--service-time",
        "100ms",
        "--servers",
        "2",
    ]);
    assert!(e.contains("--arrival 20/s"), "{e}");
    assert!(e.contains("grow without bound"), "{e}");
    assert!(e.contains("at least 3 servers"), "{e}");
}

#[test]
fn zero_servers_and_a_bad_duration_are_input_errors() {
    let e = input_error(&[
        "queue",
        "mmc",
        "--arrival",
        "5/s",
        "--service-time",
        "100ms",
        "--servers",
        "0",
    ]);
    assert!(e.contains("--servers 0"), "{e}");
    let e = input_error(&[
        "queue",
        "erlang-c",
        "--arrival",
        "100/30m",
        "--aht",
        "3x",
        "--target",
        "20s",
    ]);
    assert!(e.contains("--aht") && e.contains("accepted"), "{e}");
    let e = input_error(&["queue", "little", "--arrival", "5/s"]);
    assert!(e.contains("exactly two"), "{e}");
}

#[test]
fn erlang_c_with_agents_needs_no_target() {
    // P(wait), the average speed of answer and occupancy do not depend on a target.
    let v = json_of(&[
        "queue",
        "erlang-c",
        "--arrival",
        "100/30m",
        "--aht",
        "180s",
        "--agents",
        "14",
    ]);
    close(&v["figures"]["p_wait"], 0.1741319, 1e-6);
    close(&v["asa_seconds"], 7.835937, 1e-6);
    close(&v["occupancy"], 0.7142857, 1e-6);
    assert!(v["service_level"].is_null());
    assert!(v["target_seconds"].is_null());
}

#[test]
fn erlang_c_staffs_every_interval_of_a_day() {
    let v = json_of(&[
        "queue",
        "erlang-c",
        "--arrival",
        "examples/queue/day.csv",
        "--aht",
        "180s",
        "--target",
        "20s",
    ]);
    let rows = v["intervals"].as_array().unwrap();
    assert_eq!(rows.len(), 20);
    // Each interval is the single-interval answer: 100 calls in 30 minutes at 180 s would be
    // 14 agents; here 120 calls at 09:00 and the lunch rows take their own 240 s.
    let single = |arrival: &str, aht: &str| {
        json_of(&[
            "queue",
            "erlang-c",
            "--arrival",
            arrival,
            "--aht",
            aht,
            "--target",
            "20s",
        ])["servers"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows[2]["start"], "09:00");
    assert_eq!(
        rows[2]["agents"].as_u64().unwrap(),
        single("120/30m", "180s")
    );
    assert_eq!(rows[8]["aht_seconds"], 240.0);
    assert_eq!(
        rows[8]["agents"].as_u64().unwrap(),
        single("130/30m", "240s")
    );
    let peak = rows.iter().map(|r| r["agents"].as_u64().unwrap()).max();
    assert_eq!(v["peak_agents"].as_u64(), peak);
    assert_eq!(v["peak_start"], "10:00");
}

#[test]
fn erlang_c_day_table_has_a_row_per_interval() {
    let out = tradeoff()
        .args([
            "queue",
            "erlang-c",
            "--arrival",
            "examples/queue/day.csv",
            "--aht",
            "3m",
            "--target",
            "20s",
            "--service-level",
            "90%",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
