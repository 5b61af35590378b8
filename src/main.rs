//! The `tradeoff` binary.
//!
//! Start-up memory. A catalog command (`advise`, `explain`) lives a few milliseconds and
//! most of them went to the kernel zero-filling heap pages one 4 KiB page fault at a time
//! (about 280 faults for `advise`, some 10 µs each on a virtual machine). On Linux the
//! first allocations therefore come from one 4 MiB region that the kernel may back with
//! two transparent huge pages (`MADV_HUGEPAGE`; with THP off it is ordinary memory): small
//! allocations are carved from it in order and never reused, and once it is used up, or
//! for anything larger than 64 KiB, the system allocator takes over. At most 4 MiB is ever
//! left unreclaimed, whatever the command. Measured (bench/startup, hyperfine, loaded
//! 2-core machine): `advise` 7.1 → 5.4 ms, `explain` 5.6 → 4.2 ms, page faults 430 → 166.
//!
//! Large memory. The exact solver's tables (hundreds of MB, read at random) are the other
//! end: blocks of 4 MiB and more from the system allocator are advised to use huge pages
//! too, so the kernel zero-fills them 2 MiB at a time and the TLB covers them. Measured on
//! Aralia cea9601 (quiet machine): 126,000 → 28,000 page faults, 1.44 → 1.35 s.
//!
//! This is the crate's one `unsafe` module (STYLE.md: a measured engine, behind one module).

fn main() {
    std::process::exit(tradeoff::cli::main());
}

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: arena::StartupArena = arena::StartupArena::new();

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod arena {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The region's size: two huge pages.
    const SIZE: usize = 4 << 20;
    /// A huge page's size and alignment.
    const HUGE: usize = 2 << 20;
    /// Larger requests go to the system allocator directly.
    const LARGEST: usize = 64 << 10;
    /// Blocks of at least this size from the system allocator are advised to use huge pages.
    const ADVISE: usize = 4 << 20;
    // The start-up region is advised through the same path.
    const _: () = assert!(SIZE >= ADVISE);
    /// `base` while no thread has mapped the region yet, and while one is mapping it.
    const UNMAPPED: usize = 0;
    const MAPPING: usize = 1;
    /// `base` when the region could not be mapped: the system allocator does everything.
    const NONE: usize = 2;

    /// A bump allocator over one region, in front of the system allocator.
    pub struct StartupArena {
        base: AtomicUsize,
        next: AtomicUsize,
    }

    impl StartupArena {
        pub const fn new() -> Self {
            StartupArena {
                base: AtomicUsize::new(UNMAPPED),
                next: AtomicUsize::new(0),
            }
        }

        /// The region's start, mapping it on first use (`None` while another thread maps it,
        /// or if it could not be mapped).
        fn base(&self) -> Option<usize> {
            match self.base.load(Ordering::Acquire) {
                UNMAPPED => {}
                MAPPING | NONE => return None,
                base => return Some(base),
            }
            if self
                .base
                .compare_exchange(UNMAPPED, MAPPING, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                return None;
            }
            // SAFETY: an anonymous private mapping with no address hint touches no existing
            // memory; the result is checked before use.
            let mapped = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    SIZE + HUGE,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if mapped == libc::MAP_FAILED {
                self.base.store(NONE, Ordering::Release);
                return None;
            }
            let base = (mapped as usize).next_multiple_of(HUGE);
            // [base, base + SIZE) lies inside the mapping just made.
            Self::advise(base as *mut u8, SIZE);
            self.next.store(base, Ordering::Release);
            self.base.store(base, Ordering::Release);
            Some(base)
        }

        /// Asks for transparent huge pages over the whole 2 MiB pages inside a large block of
        /// memory this process owns (the start-up region, or a block the system allocator
        /// just handed out).
        fn advise(ptr: *mut u8, size: usize) -> *mut u8 {
            if size >= ADVISE && !ptr.is_null() {
                let start = (ptr as usize).next_multiple_of(HUGE);
                let end = (ptr as usize + size) / HUGE * HUGE;
                if end > start {
                    // SAFETY: [start, end) lies inside the caller's block; advice changes no
                    // contents. A refusal only means 4 KiB pages.
                    unsafe {
                        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE)
                    };
                }
            }
            ptr
        }

        fn owns(&self, ptr: *mut u8) -> bool {
            let base = self.base.load(Ordering::Acquire);
            base > NONE && (base..base + SIZE).contains(&(ptr as usize))
        }
    }

    // SAFETY: every block handed out is inside the region, aligned as asked, and handed out
    // once (the bump pointer only moves forward, by compare-and-swap); blocks of the region
    // are never given back to the system allocator, and the system allocator's never come
    // from the region.
    unsafe impl GlobalAlloc for StartupArena {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if layout.size() <= LARGEST
                && let Some(base) = self.base()
            {
                let mut cur = self.next.load(Ordering::Relaxed);
                loop {
                    let start = cur.next_multiple_of(layout.align());
                    let end = start + layout.size();
                    if end > base + SIZE {
                        break;
                    }
                    match self.next.compare_exchange_weak(
                        cur,
                        end,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    ) {
                        Ok(_) => return start as *mut u8,
                        Err(now) => cur = now,
                    }
                }
            }
            // SAFETY: the caller's layout, passed on.
            Self::advise(unsafe { System.alloc(layout) }, layout.size())
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if !self.owns(ptr) {
                // SAFETY: a block of the system allocator, with its layout.
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if layout.size() > LARGEST {
                // SAFETY: the caller's layout; large blocks come from fresh pages the system
                // allocator need not write (a zeroed table of 64 MB costs no time until used).
                return Self::advise(unsafe { System.alloc_zeroed(layout) }, layout.size());
            }
            // SAFETY: the caller's layout.
            let ptr = unsafe { self.alloc(layout) };
            if !ptr.is_null() && !self.owns(ptr) {
                // SAFETY: `ptr` is a fresh block of `layout.size()` bytes. The region's blocks
                // need no write: its pages come zeroed from the kernel and no byte of it is
                // handed out twice.
                unsafe { std::ptr::write_bytes(ptr, 0, layout.size()) };
            }
            ptr
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if !self.owns(ptr) && new_size > LARGEST {
                // SAFETY: a block of the system allocator, grown or shrunk in place if it can.
                return Self::advise(unsafe { System.realloc(ptr, layout, new_size) }, new_size);
            }
            // SAFETY: the caller guarantees `new_size` with `layout.align()` is a valid layout.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: a valid layout.
            let new = unsafe { self.alloc(new_layout) };
            if !new.is_null() {
                // SAFETY: both blocks hold at least the smaller size and do not overlap.
                unsafe {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
            }
            new
        }
    }

    #[cfg(test)]
    mod tests {
        use std::alloc::{GlobalAlloc, Layout};

        #[test]
        fn blocks_of_every_size_and_alignment_keep_their_contents_across_threads() {
            let threads: Vec<_> = (0..4u64)
                .map(|t| {
                    std::thread::spawn(move || {
                        let kept: Vec<Vec<u64>> = (0..2000u64)
                            .map(|i| (0..(i * 37 + t) % 300 + 1).map(|x| x ^ t).collect())
                            .collect();
                        // Grows through 64 KiB, from the region into the system allocator.
                        let mut grown = Vec::new();
                        for i in 0..100_000u64 {
                            grown.push(i * t);
                        }
                        let small = vec![0u32; 100];
                        let large = vec![0u8; 1 << 20];
                        assert!(small.iter().all(|&x| x == 0) && large.iter().all(|&x| x == 0));
                        for (i, v) in kept.iter().enumerate() {
                            let i = i as u64;
                            assert_eq!(v.len() as u64, (i * 37 + t) % 300 + 1);
                            assert!(v.iter().enumerate().all(|(x, &y)| y == x as u64 ^ t));
                        }
                        assert!(grown.iter().enumerate().all(|(i, &x)| x == i as u64 * t));
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            let arena = &super::super::ALLOCATOR;
            for align in [1, 8, 64, 4096] {
                let layout = Layout::from_size_align(24, align).unwrap();
                // SAFETY: a valid layout, given back with the same layout.
                unsafe {
                    let p = arena.alloc(layout);
                    assert!(!p.is_null() && (p as usize).is_multiple_of(align));
                    arena.dealloc(p, layout);
                }
            }
        }
    }
}
