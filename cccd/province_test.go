package cccd

import "testing"

func TestProvinceByName(t *testing.T) {
	tests := []struct{ name, code string }{
		{"ha noi", "001"},
		{"Hà Nội", "001"},
		{"HÀ NỘI", "001"},
		{"Thành phố Hà Nội", "001"},
		{"TP. Hồ Chí Minh", "079"},
		{"Tp HCM", "079"},
		{"TP.HCM", "079"},
		{"tphcm", "079"},
		{"Thành phố Hồ Chí Minh", "079"},
		{"Sài Gòn", "079"},
		{"Thua Thien Hue", "046"},
		{"Thừa Thiên - Huế", "046"},
		{"Huế", "046"},
		{"Tỉnh Đắk Lắk", "066"},
		{"dak lak", "066"},
		{"Thanh Hoá", "038"}, // the other placement of the tone mark
		{"thanh hoa", "038"},
		{"Bà Rịa–Vũng Tàu", "077"},
		{"ba ria vung tau", "077"},
		{"  Cần   Thơ ", "092"},
		{"Đồng Tháp", "087"},
	}
	for _, tt := range tests {
		p, ok := ProvinceByName(tt.name)
		if !ok || p.Code != tt.code {
			t.Errorf("ProvinceByName(%q) = %+v, %v; want %s", tt.name, p, ok, tt.code)
		}
	}
	for _, name := range []string{"", "Tỉnh", "Thành phố", "Paris", "Ha", "Hanoi Hanoi", "\xff"} {
		if p, ok := ProvinceByName(name); ok {
			t.Errorf("ProvinceByName(%q) = %+v", name, p)
		}
	}
	// Every name in the table finds itself, by Name and by ASCIIName.
	for _, want := range Provinces() {
		for _, name := range []string{want.Name, want.ASCIIName} {
			if p, ok := ProvinceByName(name); !ok || p != want {
				t.Errorf("ProvinceByName(%q) = %+v, %v", name, p, ok)
			}
		}
	}
}

func TestProvinceByCode(t *testing.T) {
	if p, ok := ProvinceByCode("175"); !ok || !p.Abroad || p.Code != "175" || p.Known() {
		t.Errorf("ProvinceByCode(175) = %+v, %v", p, ok)
	}
	for _, code := range []string{"", "0", "000", "003", "097", "099", "300", "999", "79", "0790", "07a", "+79"} {
		if p, ok := ProvinceByCode(code); ok {
			t.Errorf("ProvinceByCode(%q) = %+v", code, p)
		}
	}
	// Provinces returns a copy.
	ps := Provinces()
	ps[0].Name = "changed"
	if Provinces()[0].Name != "Hà Nội" {
		t.Errorf("Provinces shares its table")
	}
}
