# The suite's chart (called by bench/run.sh): one bar per workload, the
# median paired ratio C/ours on a log axis (> 1: ours is faster), whiskers
# min-max, the C core's noise floor shaded (the band: 10th-90th percentile of
# all C-vs-C paired ratios of the run; the darker box behind each bar: that
# row's own min-max), the
# issue's target as a short black line. Green: target met; red: missed.
# gnuplot -e "dat='x.dat'; png='x.png'; nlo=0.9; nhi=1.1; ttl='...'" chart.gp
set terminal pngcairo size 1400,700 font "sans,10"
set output png
set title ttl."\nbar: median of paired ratios (> 1: ours faster), whisker: min-max; grey: C core vs itself (band: 10th-90th percentile of all rows, box: the row's min-max)"
set logscale y
set yrange [0.25:100]
set ytics (0.25, 0.5, 0.8, 1, 1.25, 1.6, 2, 3, 4, 6, 10, 20, 50, 100)
set ylabel "C core time / our time (log)"
set grid ytics lc rgb "#dddddd"
set xtics rotate by 45 right nomirror
set xrange [0:*]
set key top left
set style fill solid 1.0 noborder
set object 1 rect from graph 0, first nlo to graph 1, first nhi behind fc rgb "#e6e6e6" fs solid 1.0 noborder
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#666666" dt 2 back
set bmargin 12
plot dat using 1:(sqrt($6*$7)):($1-0.42):($1+0.42):6:7 with boxxyerror fc rgb "#c8c8c8" title "noise (C vs C) per row", \
     ''  using 1:3:($1-0.32):($1+0.32):($3<1?$3:1):($3<1?1:$3):($9==1?0x3a9a3a:0xcc3333) with boxxyerror lc rgb variable notitle, \
     ''  using 1:3:4:5:xtic(2) with yerrorbars lc rgb "#222222" pt 7 ps 0.4 title "ours: median, min-max", \
     ''  using 1:8:($1-0.4):($1+0.4) with xerrorbars lc rgb "black" pt -1 lw 2 title "target"
