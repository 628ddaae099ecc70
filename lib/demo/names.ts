/** Word lists for generated demo rows. */

// prettier-ignore
export const FIRST_NAMES = [
  'Ava', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hiro', 'Isla', 'Jonas',
  'Kemi', 'Liam', 'Maya', 'Noah', 'Olivia', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara',
  'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Mateo', 'Lena', 'Omar', 'Nina',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Adams', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen',
  'Kowalski', 'Lopez', 'Martin', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka',
  'Usman', 'Varga', 'Wong', 'Xu', 'Young', 'Zimmer', 'Silva', 'Novak', 'Berg', 'Murphy',
] as const;

// prettier-ignore
export const COMPANY_WORDS = [
  'Acme', 'Northwind', 'Blue Harbor', 'Summit', 'Ironclad', 'Bright Path', 'Cedar', 'Vertex',
  'Redwood', 'Silverline', 'Keystone', 'Lumen', 'Orbit', 'Pioneer', 'Quarry', 'Atlas',
] as const;

// prettier-ignore
export const COMPANY_SUFFIXES = [
  'Logistics', 'Rentals', 'Equipment', 'Fleet', 'Builders', 'Outfitters', 'Supply', 'Works',
] as const;

// prettier-ignore
/** Ordered roughly by how many hotels a travel site lists, so a power-law pick favours the first. */
export const CITIES = [
  'London', 'Paris', 'New York', 'Tokyo', 'Barcelona', 'Rome', 'Dubai', 'Bangkok', 'Istanbul', 'Amsterdam',
  'Berlin', 'Lisbon', 'Madrid', 'Singapore', 'Los Angeles', 'Las Vegas', 'Miami', 'Prague', 'Vienna', 'Sydney',
  'Hong Kong', 'Seoul', 'Toronto', 'Chicago', 'San Francisco', 'Orlando', 'Mexico City', 'Cancun', 'Athens', 'Budapest',
  'Milan', 'Florence', 'Venice', 'Munich', 'Dublin', 'Edinburgh', 'Copenhagen', 'Stockholm', 'Oslo', 'Helsinki',
  'Zurich', 'Geneva', 'Brussels', 'Nice', 'Marseille', 'Lyon', 'Porto', 'Seville', 'Valencia', 'Naples',
  'Krakow', 'Warsaw', 'Bucharest', 'Sofia', 'Belgrade', 'Zagreb', 'Dubrovnik', 'Split', 'Ljubljana', 'Bratislava',
  'Tallinn', 'Riga', 'Vilnius', 'Reykjavik', 'Marrakech', 'Cairo', 'Cape Town', 'Johannesburg', 'Nairobi', 'Zanzibar',
  'Tel Aviv', 'Doha', 'Abu Dhabi', 'Muscat', 'Mumbai', 'Delhi', 'Goa', 'Jaipur', 'Kathmandu', 'Colombo',
  'Male', 'Bali', 'Jakarta', 'Kuala Lumpur', 'Penang', 'Phuket', 'Chiang Mai', 'Hanoi', 'Ho Chi Minh City', 'Siem Reap',
  'Manila', 'Cebu', 'Taipei', 'Osaka', 'Kyoto', 'Sapporo', 'Busan', 'Shanghai', 'Beijing', 'Shenzhen',
  'Melbourne', 'Brisbane', 'Perth', 'Auckland', 'Queenstown', 'Honolulu', 'Vancouver', 'Montreal', 'Quebec City', 'Calgary',
  'Seattle', 'Portland', 'San Diego', 'Phoenix', 'Denver', 'Austin', 'Dallas', 'Houston', 'New Orleans', 'Nashville',
  'Atlanta', 'Boston', 'Washington', 'Philadelphia', 'Charleston', 'Savannah', 'Key West', 'Tampa', 'Minneapolis', 'Detroit',
  'Havana', 'San Juan', 'Punta Cana', 'Montego Bay', 'Nassau', 'Aruba', 'Panama City', 'San Jose', 'Cartagena', 'Bogota',
  'Medellin', 'Lima', 'Cusco', 'Quito', 'Santiago', 'Buenos Aires', 'Mendoza', 'Montevideo', 'Rio de Janeiro', 'Sao Paulo',
  'Salvador', 'Florianopolis', 'Antalya', 'Bodrum', 'Santorini', 'Mykonos', 'Crete', 'Rhodes', 'Corfu', 'Malta',
  'Palma', 'Ibiza', 'Tenerife', 'Gran Canaria', 'Madeira', 'Faro', 'Bordeaux', 'Strasbourg', 'Cologne', 'Hamburg',
  'Frankfurt', 'Dresden', 'Salzburg', 'Innsbruck', 'Lucerne', 'Interlaken', 'Bruges', 'Ghent', 'Rotterdam', 'Antwerp',
  'Manchester', 'Liverpool', 'Bath', 'York', 'Glasgow', 'Belfast', 'Cardiff', 'Galway', 'Cork', 'Bergen',
  'Gothenburg', 'Aarhus', 'Tromso', 'Rovaniemi', 'Gdansk', 'Wroclaw', 'Lviv', 'Tbilisi', 'Baku', 'Yerevan',
] as const;

// prettier-ignore
export const HOTEL_WORDS = [
  'Grand', 'Royal', 'Harbour', 'Park', 'Central', 'Garden', 'Plaza', 'Riverside', 'Old Town', 'Skyline',
  'Boutique', 'Palace', 'Station', 'Marina', 'Hilltop', 'Lakeside',
] as const;

export const HOTEL_TYPES = [
  'Hotel',
  'Inn',
  'Suites',
  'Resort',
  'Hostel',
  'Lodge',
  'Apartments',
] as const;

// prettier-ignore
export const TASK_TITLES = [
  'Follow up call', 'Send proposal', 'Schedule demo', 'Prepare quote', 'Contract review',
  'Check in with champion', 'Send case study', 'Pricing approval', 'Security questionnaire', 'Kickoff meeting',
] as const;

export const DEAL_TYPES = ['renewal', 'expansion', 'new business', 'pilot', 'upsell'] as const;

export const SITE_TYPES = ['Depot', 'Yard', 'Branch', 'Warehouse', 'Store', 'Site'] as const;

// prettier-ignore
export const FUND_WORDS = [
  'Global Macro', 'Credit Opportunities', 'Equity Long/Short', 'Event Driven', 'Relative Value',
  'Systematic Trend', 'Merger Arbitrage', 'Convertible Arbitrage', 'Emerging Markets', 'Volatility',
] as const;

export const BOOKS = ['equities', 'credit', 'rates', 'fx', 'commodities', 'options'] as const;

// prettier-ignore
/** Opportunity stages, in pipeline order; not_interested is what the CRM dashboard counts. */
export const STAGES = [
  'prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost', 'not_interested',
] as const;
